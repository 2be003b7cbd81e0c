import CustomerAggregate
import EventStore
import Foundation
import PasswordHashing

/// The customers' current password hashes: customer id (16 bytes) → format byte 1 ‖ the encoded hash (UTF-8,
/// `$y$…` or `$2y$…`).
///
/// Secrets never enter the append-only log, so the hash lives here, written in the same write transaction as
/// the `PasswordSet` / `PasswordRehashed` event that records the change, and replaced on each change. It is
/// state of its own, not a projection: a rebuild can not derive it from the log, so the rebuilder neither
/// wipes nor compares it; `backup` copies it with the rest of the LMDB environment.
enum CredentialTable {
    static let table = TableSpec("credentials")
    private static let format: UInt8 = 1

    static func hash(of customer: CustomerID, in reader: StoreReader) throws -> PasswordHash? {
        let stored = try reader.get(reader.table(table), customer.uuid.bytes) { bytes -> String? in
            guard bytes.first == format else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()), as: UTF8.self)
        }
        guard let stored else { return nil }
        guard let encoded = stored, let hash = try? PasswordHash(encoded: encoded) else {
            throw StoreAccessError("the stored password hash of \(customer) is unreadable; set a new password with a password-set link")
        }
        return hash
    }

    static func store(_ hash: PasswordHash, for customer: CustomerID, in writer: StoreWriter) throws {
        try writer.put(writer.table(table), customer.uuid.bytes, [format] + Array(hash.encoded.utf8))
    }
}
