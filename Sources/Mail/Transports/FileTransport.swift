import Foundation
import SystemCalls

/// "Delivers" each message as one `.eml` file in a directory: the default transport, for development, tests
/// and hand-off to another system.
///
/// The file is named after the Message-ID and written atomically and durably (see `DurableFile`). Delivering the
/// same message again overwrites the same file with the same bytes, so the outbox's at-least-once delivery never
/// produces duplicates here.
///
/// Immutable, hence Sendable; concurrent deliveries of different messages are safe, and two of the same message
/// both end with one complete file.
public final class FileTransport: MailTransport, Sendable {
    public let name = "file"
    public let directory: URL

    /// The directory is created (mode 0700) by `prepare()` or on the first delivery if missing.
    public init(directory: URL) {
        self.directory = directory
    }

    /// Creates the folder if needed, checks that it is a folder this process can write, and removes the
    /// temporary files that killed writers left behind (older than a minute, named after a pid that is no live
    /// process: a write in progress is never touched).
    public func prepare() throws(DeliveryFailure) {
        let path = directory.path
        var status = stat()
        if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK, stat(path, &status) != 0 {
            throw .permanent("the mail folder \(path) is a symbolic link to \(linkTarget(path)), which does not exist")
        }
        do {
            try PrivateFolder.create(at: path)
        } catch {
            // A full disk is an outage that `deliver` reports for each batch, not a configuration to fix.
            if error.isOutOfSpace { return }
            if error.errno == ENOTDIR || error.errno == EEXIST {
                throw .permanent("the mail folder \(path) is not a folder (a file is in the way)")
            }
            throw .permanent("cannot create the mail folder \(path): \(error)")
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw .permanent("cannot write into the mail folder \(path): \(SystemCallError(call: "access", path: path, errno: errno))")
        }
        do {
            try TemporaryName.removeStale(in: path)
        } catch {
            throw .permanent("cannot clean up the mail folder \(path): \(error)")
        }
    }

    private func linkTarget(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "a missing path"
    }

    public func deliver(
        _ message: EmailMessage, rendered: [UInt8], confirm: () -> Bool
    ) throws(DeliveryFailure) -> DeliveryReceipt {
        let directoryPath = directory.path
        let path = directoryPath + "/" + Self.fileName(forMessageID: message.messageID)
        do {
            try PrivateFolder.create(at: directoryPath)
        } catch {
            if error.isOutOfSpace { throw outOfSpace() }
            // Temporary, like every file-system problem here: it is about the machine, not the message, and an
            // operator can fix it (permissions, disk space) before the outbox retries.
            throw .temporary("cannot create the mail directory \(directoryPath): \(error.description)")
        }
        guard confirm() else { throw .withdrawn }
        do {
            try DurableFile.write(rendered, to: path)
        } catch {
            if error.isOutOfSpace { throw outOfSpace() }
            throw .temporary("cannot write the email file: \(error.description)")
        }
        return DeliveryReceipt(transport: name, detail: path)
    }

    /// A full disk (or quota) is an outage, not a failed attempt at this email: every other email would fail the
    /// same way, so the outbox stops the batch without counting attempts.
    private func outOfSpace() -> DeliveryFailure {
        let path = directory.path
        var info = statvfs()
        let free = statvfs(path, &info) == 0 ? " (\(UInt64(info.f_bavail) * UInt64(info.f_frsize)) bytes free)" : ""
        return .outage("no space left on the device holding \(path)\(free)")
    }

    /// Nothing to release.
    public func close() {}

    /// `<message id>.eml`, keeping letters, digits and `@ . _ + -` and replacing anything else (path separators
    /// included) with `_`. When something had to be replaced, a hash of the original ID is appended so that two
    /// different IDs can never share a file. IDs of the form `<uuid>@customer-es` pass unchanged.
    static func fileName(forMessageID messageID: String) -> String {
        var safe = ""
        var changed = false
        for scalar in messageID.unicodeScalars.prefix(180) {
            let isSafe = scalar.isASCII
                && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || "@._+-".unicodeScalars.contains(scalar))
            safe.unicodeScalars.append(isSafe ? scalar : "_")
            changed = changed || !isSafe
        }
        changed = changed || messageID.unicodeScalars.count > 180
        // A leading dot would hide the file and could form "." or "..".
        if safe.hasPrefix(".") || safe.isEmpty {
            safe = "_" + safe.drop(while: { $0 == "." })
            changed = true
        }
        if changed { safe += "-" + fnv1a64Hex(messageID) }
        return safe + ".eml"
    }

    /// FNV-1a: a stable, dependency-free 64-bit hash (Swift's `Hasher` is seeded per process).
    private static func fnv1a64Hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
