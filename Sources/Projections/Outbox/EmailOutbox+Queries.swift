import CompactCodec
import EventStore
import Foundation

/// Reads of the outbox (any transaction; write transactions see their own changes).
extension EmailOutbox {
    public func entry(_ id: UUID, in reader: StoreReader) throws -> OutboxEntry? {
        if pinnedSuffix == nil { return try live(in: reader).entry(id, in: reader) }
        let key = id.bytes
        return try reader.get(reader.table(entries), key) { value in
            try key.withUnsafeBytes { try OutboxEntry.decode(key: $0, value) }
        }
    }

    /// Every entry, oldest request first; `state` filters on `OutboxEntry.State.name`. Filtered, the entries come
    /// from that state's keys of `outbox.states` once the index is built (the dead emails of a healthy store
    /// without reading all the others); in an older table set, from a scan of every entry.
    public func allEntries(state: String? = nil, in reader: StoreReader) throws -> [OutboxEntry] {
        if pinnedSuffix == nil { return try live(in: reader).allEntries(state: state, in: reader) }
        if let state, try OutboxStateIndex.isBuilt(states, in: reader) {
            guard let code = OutboxStateIndex.code(ofStateNamed: state) else { return [] }
            return try entriesIndexed(underCode: code, in: reader)
        }
        var result: [OutboxEntry] = []
        try reader.withCursor(reader.table(entries)) { cursor in
            var positioned = try cursor.first()
            while positioned {
                let entry = try OutboxEntry.decode(key: cursor.key, cursor.value)
                if state == nil || entry.state.name == state { result.append(entry) }
                positioned = try cursor.next()
            }
        }
        return result.sorted { $0.queuedPosition < $1.queuedPosition }
    }

    /// The entries of one state in the index's order: queued position, then id.
    private func entriesIndexed(underCode code: UInt8, in reader: StoreReader) throws -> [OutboxEntry] {
        var result: [OutboxEntry] = []
        try reader.withCursor(reader.table(states)) { cursor in
            var positioned = try cursor.seek(atOrAfter: [code])
            while positioned, cursor.key.first == code {
                result.append(try indexedEntry(OutboxStateIndex.entryID(ofKey: cursor.key), in: reader))
                positioned = try cursor.next()
            }
        }
        return result
    }

    /// The entry a key of `outbox.states` names; its absence is a damaged table set.
    func indexedEntry(_ id: UUID, in reader: StoreReader) throws -> OutboxEntry {
        guard let entry = try entry(id, in: reader) else {
            throw OutboxCorruption("outbox.states names an email that outbox.entries does not hold: rebuild the projections")
        }
        return entry
    }

    /// Visits the pending and failed entries due at or before `until`, earliest first, as (due time, entry id);
    /// `body` returns false to stop.
    public func forEachDue(until: Date, in reader: StoreReader, _ body: (Date, UUID) throws -> Bool) throws {
        if pinnedSuffix == nil { return try live(in: reader).forEachDue(until: until, in: reader, body) }
        let limit = Self.micros(until)
        try reader.withCursor(reader.table(due)) { cursor in
            var positioned = try cursor.first()
            while positioned {
                let key = cursor.key
                guard key.count == Self.dueKeyLength else {
                    throw OutboxCorruption("a key of outbox.due has \(key.count) bytes, not \(Self.dueKeyLength): rebuild the projections")
                }
                let micros = readBigEndianUInt64(key)
                guard micros <= limit else { return }
                guard let id = UUID(bytes: UnsafeRawBufferPointer(rebasing: key[16..<32])) else { return }  // 32 bytes: never
                guard try body(Date(timeIntervalSince1970: Double(micros) / 1_000_000), id) else { return }
                positioned = try cursor.next()
            }
        }
    }

    /// How many emails wait (pending or failed) and when the earliest of them is due.
    public func waiting(in reader: StoreReader) throws -> (count: Int, earliestDueAt: Date?) {
        if pinnedSuffix == nil { return try live(in: reader).waiting(in: reader) }
        let table = reader.table(due)
        let count = try reader.count(table)
        let earliest = try reader.withCursor(table) { cursor -> Date? in
            guard try cursor.first() else { return nil }
            return Date(timeIntervalSince1970: Double(readBigEndianUInt64(cursor.key)) / 1_000_000)
        }
        return (count, earliest)
    }
}

/// The outbox tables hold something this code cannot have written.
public struct OutboxCorruption: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
