import CompactCodec
import EventStore
import Foundation

/// Which dispatcher is sending which email right now: entry id (16 bytes) → owner ‖ lease expiry (µs).
///
/// A dispatcher claims entries in a write transaction before sending them, and releases them in the transaction
/// that records the outcomes. LMDB has one writer across processes, so two dispatchers never claim the same entry
/// while its lease is live: each email is sent once in the normal case. A dispatcher that crashes mid-send leaves
/// its leases behind; they expire and another dispatcher sends those emails again, with the same Message-ID
/// (at-least-once delivery).
///
/// Leases are coordination state, not a read model: they are not derived from the log and not rebuilt. The table
/// is declared beside the projections' tables (`CustomerService.tables`) and opened with the store.
enum OutboxLeases {
    static let table = TableSpec("outbox.leases")

    struct Lease: Equatable {
        var owner: String
        var expiresAt: Date

        func isLive(at now: Date) -> Bool { expiresAt > now }
    }

    static func lease(of entryId: UUID, in reader: StoreReader) throws -> Lease? {
        try reader.get(reader.table(table), key(entryId)) { bytes -> Lease in
            var decoder = ByteReader(bytes)
            let owner = try decoder.readString()
            return Lease(owner: owner, expiresAt: try decoder.readDate())
        }
    }

    static func claim(_ entryId: UUID, owner: String, until expiresAt: Date, in writer: StoreWriter) throws {
        var encoder = ByteWriter(capacity: owner.utf8.count + 12)
        encoder.writeString(owner)
        encoder.writeDate(expiresAt)
        try writer.put(writer.table(table), key(entryId), encoder.bytes)
    }

    /// Removes the lease if `owner` still holds it (another dispatcher may have taken over an expired one).
    static func release(_ entryId: UUID, owner: String, in writer: StoreWriter) throws {
        guard let lease = try lease(of: entryId, in: writer), lease.owner == owner else { return }
        try writer.delete(writer.table(table), key(entryId))
    }

    private static func key(_ id: UUID) -> [UInt8] { id.bytes }
}
