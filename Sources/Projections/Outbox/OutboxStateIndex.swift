import CompactCodec
import EventStore
import Foundation

/// The outbox's emails by state in queue order (`outbox.states`): state code (1 byte) ‖ queued position
/// (u64 BE) ‖ entry id (16 bytes) → empty. So the back office's Outbox page filtered by a state (the few dead
/// emails of a healthy store, say) is one seek and `limit` steps back from where the previous page stopped,
/// instead of a walk of the log past every email of the other states.
///
/// Kept by `EmailOutbox.save` in the transaction that changes the entry, so it holds exactly the entries of
/// `outbox.entries`, and a rebuild writes it with the same code. The one-byte key `builtKey` says the table
/// holds every entry: a table set written by an older build has entries but no index; its first write in this
/// version builds the index from the entries (once, in that transaction) and adds the key, and until then a
/// filtered page walks the log as before.
enum OutboxStateIndex {
    static let keyLength = 25
    /// Shorter than every entry's key and before them in key order.
    static let builtKey: [UInt8] = [0]

    /// 1 pending, 2 failed, 3 sent, 4 dead (never 0: the `builtKey`).
    static func code(_ state: OutboxEntry.State) -> UInt8 {
        switch state {
        case .pending: return 1
        case .failed: return 2
        case .sent: return 3
        case .dead: return 4
        }
    }

    /// The code of a state's name (`OutboxEntry.State.name`), nil for a name no state has.
    static func code(ofStateNamed name: String) -> UInt8? { codesByName[name] }

    private static let codesByName: [String: UInt8] = Dictionary(uniqueKeysWithValues:
        [OutboxEntry.State.pending, .failed(nextAttemptAt: .distantPast), .sent, .dead].map { ($0.name, code($0)) })

    static func key(_ entry: OutboxEntry) -> [UInt8] {
        key(code: code(entry.state), position: entry.queuedPosition, id: entry.id.bytes)
    }

    static func key(code: UInt8, position: UInt64, id: [UInt8] = []) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(keyLength)
        key.append(code)
        appendBigEndian(position, to: &key)
        key += id
        return key
    }

    /// The entry id of an entry's key (not the built mark); a key of another length is a damaged table.
    static func entryID(ofKey key: UnsafeRawBufferPointer) throws -> UUID {
        guard key.count == keyLength, let id = UUID(bytes: UnsafeRawBufferPointer(rebasing: key[9...])) else {
            throw OutboxCorruption("a key of outbox.states has \(key.count) bytes, not \(keyLength): rebuild the projections")
        }
        return id
    }

    /// Whether the table holds every entry (`builtKey`).
    static func isBuilt(_ table: TableSpec, in reader: StoreReader) throws -> Bool {
        try reader.get(reader.table(table), builtKey) { _ in true } ?? false
    }
}
