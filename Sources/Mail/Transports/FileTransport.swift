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

    /// The directory is created on the first delivery if missing.
    public init(directory: URL) {
        self.directory = directory
    }

    public func deliver(_ message: EmailMessage, rendered: [UInt8]) throws(DeliveryFailure) -> DeliveryReceipt {
        let directoryPath = directory.path
        let path = directoryPath + "/" + Self.fileName(forMessageID: message.messageID)
        do {
            try PrivateFolder.create(at: directoryPath)
        } catch {
            // Temporary, like every file-system problem here: it is about the machine, not the message, and an
            // operator can fix it (permissions, disk space) before the outbox retries.
            throw .temporary("cannot create the mail directory \(directoryPath): \(error.description)")
        }
        do {
            try DurableFile.write(rendered, to: path)
        } catch {
            throw .temporary("cannot write the email file: \(error.description)")
        }
        return DeliveryReceipt(transport: name, detail: path)
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
