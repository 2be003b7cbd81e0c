import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// Persistence of the store key as `<dir>/token.key`: 32 raw bytes, mode 0600.
///
/// Written with raw POSIX calls rather than `Data.write(options: .atomic)` because the guarantees
/// that matter here are ones Foundation does not promise: the exact mode from the first instant,
/// fsync before publication, and *first writer wins* when two processes start at once.
extension TokenKey {
    public static let fileName = "token.key"

    /// Loads `<dir>/token.key`; nil when there is none (never creates one).
    public static func load(inDirectory dir: URL) throws -> TokenKey? {
        try readKeyFile(at: dir.path + "/" + fileName)
    }

    /// Removes the temporary files of key creations that a kill -9 interrupted (`.token.key.<pid>.<random>.tmp`),
    /// once they are a minute old and their writer is no live process: a live creation publishes its file within
    /// milliseconds. Best effort: a folder that cannot be cleaned is still usable.
    public static func removeStaleTemporaryFiles(inDirectory dir: URL) {
        _ = try? TemporaryName.removeStale(in: dir.path)
    }

    /// Loads `<dir>/token.key`, creating it (and `dir`) when absent.
    ///
    /// Creation: 32 fresh random bytes are written with `DurableFile.create`: a uniquely named temporary
    /// file in the same directory (created `O_EXCL`, mode 0600), fsynced, then published with `link(2)`. Unlike
    /// `rename(2)`, which silently replaces an existing target, `link` fails with `EEXIST`, so when two
    /// processes (or threads) race, exactly one key is published and the loser reads the winner's file
    /// — both end up with the same key. Readers can never observe a half-written key because the file
    /// only appears under its final name after its contents are on disk.
    ///
    /// - Throws: `TokenKeyError.wrongSize` when the file exists but is not exactly 32 bytes (it is
    ///   never overwritten: that would invalidate every outstanding link), `.notARegularFile`,
    ///   `.io` for a failing read, or `.system` for a failing write (including `link` on a filesystem
    ///   without hard links).
    public static func loadOrCreate(inDirectory dir: URL) throws -> TokenKey {
        let directory = dir.path
        let keyPath = directory + "/" + fileName

        if let existing = try readKeyFile(at: keyPath) {
            return existing
        }

        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let candidate = TokenKey.generate()
        let published: Bool
        do {
            published = try DurableFile.create(candidate.bytes, at: keyPath)
        } catch {
            throw TokenKeyError.system(error)
        }
        if published { return candidate }
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

    private static func openRetryingOnInterrupt(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        while true {
            let descriptor = open(path, flags, mode)
            if descriptor >= 0 || errno != EINTR { return descriptor }
        }
    }
}
