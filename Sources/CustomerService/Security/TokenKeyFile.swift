import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persistence of the store key as `<dir>/token.key`: 32 raw bytes, mode 0600.
///
/// Written with raw POSIX calls rather than `Data.write(options: .atomic)` because the guarantees
/// that matter here are ones Foundation does not promise: the exact mode from the first instant,
/// fsync before publication, and *first writer wins* when two processes start at once.
extension TokenKey {
    public static let fileName = "token.key"

    /// Loads `<dir>/token.key`, creating it (and `dir`) when absent.
    ///
    /// Creation: 32 fresh random bytes go into a uniquely named temporary file in the same directory
    /// (created `O_EXCL`, mode 0600), which is fsynced and then published with `link(2)`. Unlike
    /// `rename(2)`, which silently replaces an existing target, `link` fails with `EEXIST`, so when two
    /// processes (or threads) race, exactly one key is published and the loser reads the winner's file
    /// — both end up with the same key. Readers can never observe a half-written key because the file
    /// only appears under its final name after its contents are on disk.
    ///
    /// - Throws: `TokenKeyError.wrongSize` when the file exists but is not exactly 32 bytes (it is
    ///   never overwritten: that would invalidate every outstanding link), `.notARegularFile`, or
    ///   `.io` for a failing system call (including `link` on a filesystem without hard links).
    /// Loads `<dir>/token.key`; nil when there is none (never creates one).
    public static func load(inDirectory dir: URL) throws -> TokenKey? {
        try readKeyFile(at: dir.path + "/" + fileName)
    }

    /// Removes the temporary files of key creations that a kill -9 interrupted (`.token.key.<random>.tmp`),
    /// once they are older than `age`: a live creation publishes its file within milliseconds.
    public static func removeStaleTemporaryFiles(inDirectory dir: URL, olderThan age: TimeInterval = 60, now: Date = Date()) {
        let directory = dir.path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix("." + fileName + ".") && name.hasSuffix(".tmp") {
            let path = directory + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            let modified = Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec))
            if now.timeIntervalSince(modified) > age { _ = unlink(path) }
        }
    }

    public static func loadOrCreate(inDirectory dir: URL) throws -> TokenKey {
        let directory = dir.path
        let keyPath = directory + "/" + fileName

        if let existing = try readKeyFile(at: keyPath) {
            return existing
        }

        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let candidate = TokenKey.generate()
        // Unique per attempt so concurrent creators never share (or truncate) a temporary file.
        let temporaryPath = directory + "/." + fileName + "." + hexString(SecureRandom.bytes(8)) + ".tmp"
        try writeNewFileDurably(candidate.bytes, at: temporaryPath)
        // After a successful link the key lives on under its final name; either way the temporary
        // name must go.
        defer { _ = unlink(temporaryPath) }

        if link(temporaryPath, keyPath) == 0 {
            // Make the new directory entry durable too, or a crash could forget the key after
            // tokens minted with it have already been emailed.
            try syncDirectory(at: directory)
            return candidate
        }

        let linkError = errno
        guard linkError == EEXIST else {
            throw TokenKeyError.io(operation: "link", path: keyPath, errno: linkError)
        }
        // Lost the race: the winner's file was complete and fsynced before it became visible.
        guard let winner = try readKeyFile(at: keyPath) else {
            throw TokenKeyError.io(operation: "open", path: keyPath, errno: ENOENT)
        }
        return winner
    }

    /// The key at `path`, or nil if there is no file there.
    private static func readKeyFile(at path: String) throws -> TokenKey? {
        let descriptor = openRetryingOnInterrupt(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let openError = errno
            if openError == ENOENT { return nil }
            throw TokenKeyError.io(operation: "open", path: path, errno: openError)
        }
        defer { _ = close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw TokenKeyError.io(operation: "fstat", path: path, errno: errno)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw TokenKeyError.notARegularFile(path: path)
        }
        // Whoever else can write the key can plant one and forge every token with it.
        if status.st_uid != geteuid() {
            throw TokenKeyError.unsafe(
                path: path, problem: "it belongs to uid \(status.st_uid), not to the user running this command (uid \(geteuid()))",
                fix: "run customer-es as the store's owner, or, if this key is the store's own, `chown \(geteuid()) \(path)`")
        }
        if status.st_mode & 0o022 != 0 {
            throw TokenKeyError.unsafe(
                path: path, problem: "its mode \(String(status.st_mode & 0o777, radix: 8)) lets group or others write it",
                fix: "run `chmod 600 \(path)`")
        }
        guard status.st_size == off_t(byteCount) else {
            throw TokenKeyError.wrongSize(path: path, byteCount: Int(status.st_size))
        }

        var bytes = [UInt8](repeating: 0, count: byteCount)
        let readCount = try bytes.withUnsafeMutableBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            var filled = 0
            while filled < buffer.count {
                let result = read(descriptor, base + filled, buffer.count - filled)
                if result > 0 {
                    filled += result
                } else if result == 0 {
                    break  // truncated since fstat: reported as a size error below
                } else if errno != EINTR {
                    throw TokenKeyError.io(operation: "read", path: path, errno: errno)
                }
            }
            return filled
        }
        guard readCount == byteCount else {
            throw TokenKeyError.wrongSize(path: path, byteCount: readCount)
        }
        return TokenKey(bytes: bytes)
    }

    /// Creates `path` exclusively with mode 0600, writes `bytes`, and fsyncs. On failure the partial
    /// file is removed.
    private static func writeNewFileDurably(_ bytes: [UInt8], at path: String) throws {
        let descriptor = openRetryingOnInterrupt(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw TokenKeyError.io(operation: "create", path: path, errno: errno)
        }
        var succeeded = false
        defer {
            _ = close(descriptor)
            if !succeeded { _ = unlink(path) }
        }

        // The umask can only remove bits from 0600, but pin the mode exactly so what the key file
        // ends up with never depends on the environment the service was started from.
        guard fchmod(descriptor, 0o600) == 0 else {
            throw TokenKeyError.io(operation: "fchmod", path: path, errno: errno)
        }

        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, base + written, buffer.count - written)
                if result > 0 {
                    written += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    throw TokenKeyError.io(operation: "write", path: path, errno: result < 0 ? errno : EIO)
                }
            }
        }

        guard fsync(descriptor) == 0 else {
            throw TokenKeyError.io(operation: "fsync", path: path, errno: errno)
        }
        succeeded = true
    }

    private static func syncDirectory(at path: String) throws {
        let descriptor = openRetryingOnInterrupt(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TokenKeyError.io(operation: "open directory", path: path, errno: errno)
        }
        defer { _ = close(descriptor) }
        // Some filesystems cannot fsync a directory and say so with EINVAL; there is nothing more
        // to be done there, and the key file itself is already durable.
        if fsync(descriptor) != 0 && errno != EINVAL {
            throw TokenKeyError.io(operation: "fsync directory", path: path, errno: errno)
        }
    }

    private static func openRetryingOnInterrupt(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        while true {
            let descriptor = open(path, flags, mode)
            if descriptor >= 0 || errno != EINTR { return descriptor }
        }
    }

    private static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
