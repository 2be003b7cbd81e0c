import CompactCodec
import Foundation

/// Read access to the log, in one consistent snapshot (never blocked by writers).
/// Valid only inside the `EventStore.read`/`write` closure that handed it out.
public class StoreReader {
    let transaction: ReadTransaction
    let events: Table
    let streams: Table
    let streamIndex: Table
    let checkpoints: Table
    let meta: Table
    let vault: Table

    init(_ transaction: ReadTransaction) {
        self.transaction = transaction
        events = transaction.table(StoreTables.events.name)
        streams = transaction.table(StoreTables.streams.name)
        streamIndex = transaction.table(StoreTables.streamIndex.name)
        checkpoints = transaction.table(StoreTables.checkpoints.name)
        meta = transaction.table(StoreTables.meta.name)
        vault = transaction.table(StoreTables.vault.name)
    }

    /// The vault entry (salt ‖ whole payload) of the event at `position`, nil when there is none.
    func vaultEntry(at position: UInt64) throws -> [UInt8]? {
        try transaction.value(vault, BigEndianUInt64(position))
    }

    /// The positions of sealed events whose vault entry does not match the commitment in the log, and of vault
    /// entries without a sealed event. `matches(commitment, salt, payload)` recomputes the commitment (the store
    /// has no digest of its own). O(vault).
    public func vaultMismatches(_ matches: ([UInt8], [UInt8], [UInt8]) -> Bool) throws -> [UInt64] {
        var entries: [(UInt64, [UInt8])] = []
        try transaction.withCursor(vault) { cursor in
            var positioned = try cursor.first()
            while positioned {
                entries.append((readBigEndianUInt64(cursor.key), Array(cursor.value)))
                positioned = try cursor.next()
            }
        }
        var mismatches: [UInt64] = []
        for (position, entry) in entries {
            let commitment = try transaction.get(events, BigEndianUInt64(position)) { bytes throws(EventStoreError) in
                try EventEnvelope.decode(position: position, bytes: bytes).commitment
            } ?? nil
            guard let commitment, entry.count >= EventVault.saltByteCount,
                  matches(commitment, Array(entry.prefix(EventVault.saltByteCount)), Array(entry.dropFirst(EventVault.saltByteCount)))
            else {
                mismatches.append(position)
                continue
            }
        }
        return mismatches
    }

    /// How many events still have their personal data in the vault (for tools and tests).
    public func vaultEntryCount() throws -> Int { try transaction.count(vault) }

    /// The store's format version as recorded in the store (1: written before events were sealed).
    public func recordedFormatVersion() throws -> UInt32 {
        try transaction.get(meta, StoreOpening.formatKey) { UInt32(truncatingIfNeeded: readBigEndianUInt64($0)) } ?? 0
    }

    /// The stream's internal number and current version, or nil when it has no events.
    func streamEntry(_ stream: StreamName) throws -> (number: UInt64, version: UInt64)? {
        try transaction.get(streams, Array(stream.rawValue.utf8)) { value in
            (readBigEndianUInt64(value, at: 0), readBigEndianUInt64(value, at: 8))
        }
    }

    /// The version of the stream's last event; 0 when the stream does not exist.
    public func currentVersion(of stream: StreamName) throws -> UInt64 {
        try streamEntry(stream)?.version ?? 0
    }

    /// The position of the last event in the log; 0 when the log is empty.
    public func headPosition() throws -> UInt64 {
        try transaction.withCursor(events) { cursor in
            try cursor.last() ? readBigEndianUInt64(cursor.key) : 0
        }
    }

    public func event(at position: UInt64) throws -> RecordedEvent? {
        guard position > 0 else { return nil }
        guard let event = try transaction.get(events, BigEndianUInt64(position), { bytes throws(EventStoreError) in
            try EventEnvelope.decode(position: position, bytes: bytes)
        }) else { return nil }
        return event.commitment == nil ? event : event.joined(vaultEntry: try vaultEntry(at: position))
    }

    public enum Direction: Sendable { case forward, backward }

    /// Events of one stream, starting at `version` (inclusive) and going forward or backward.
    /// `from` defaults to the first version going forward and the last going backward.
    public func readStream(
        _ stream: StreamName, from version: UInt64? = nil, direction: Direction = .forward, limit: Int = .max
    ) throws -> [RecordedEvent] {
        guard limit > 0, let entry = try streamEntry(stream) else { return [] }
        var result: [RecordedEvent] = []
        let start = version ?? (direction == .forward ? 1 : entry.version)
        guard start >= 1, start <= entry.version else { return [] }
        try transaction.withCursor(streamIndex) { cursor in
            var positioned = try cursor.seek(atOrAfter: BigEndianUInt64Pair(entry.number, start))
            var current = start
            while positioned, result.count < limit {
                guard let run = StreamRun(key: cursor.key, value: cursor.value, stream: entry.number) else { break }
                while result.count < limit, current >= run.firstVersion, current <= run.lastVersion {
                    guard let event = try event(at: run.position(of: current)) else {
                        throw EventStoreError.corruptEvent(position: run.position(of: current), reason: "stream \(stream) points at a missing event")
                    }
                    result.append(event)
                    if direction == .forward { current += 1 } else { current -= 1 }
                }
                if current == 0 { break }
                positioned = direction == .forward ? try cursor.next() : try cursor.previous()
            }
        }
        return result
    }

    /// The position of `version` in stream number `number`, from the run that holds it.
    func position(ofVersion version: UInt64, inStream number: UInt64) throws -> UInt64? {
        try transaction.withCursor(streamIndex) { cursor in
            guard try cursor.seek(atOrAfter: BigEndianUInt64Pair(number, version)),
                  let run = StreamRun(key: cursor.key, value: cursor.value, stream: number),
                  version >= run.firstVersion
            else { return nil }
            return run.position(of: version)
        }
    }

    /// Up to `limit` events of the whole log from `position` (inclusive), in order.
    public func readAll(from position: UInt64 = 1, limit: Int = .max) throws -> [RecordedEvent] {
        var result: [RecordedEvent] = []
        try forEachEvent(from: position) { view in
            result.append(try view.materialize())
            return result.count < limit
        }
        return result
    }

    /// Visits the log from `position` without copying; `body` returns false to stop.
    public func forEachEvent(from position: UInt64 = 1, _ body: (EventView) throws -> Bool) throws {
        try transaction.withCursor(events) { cursor in
            var positioned = try cursor.seek(atOrAfter: BigEndianUInt64(max(position, 1)))
            while positioned {
                var view = try EventView(position: readBigEndianUInt64(cursor.key), bytes: cursor.value)
                if view.isSealed {
                    view.vaultEntry = try transaction.get(vault, BigEndianUInt64(view.position)) { $0 }
                }
                guard try body(view) else { return }
                positioned = try cursor.next()
            }
        }
    }

    /// The position a named checkpoint was saved at; 0 when never saved.
    public func checkpoint(_ name: String) throws -> UInt64 {
        try transaction.get(checkpoints, Array(name.utf8)) { readBigEndianUInt64($0) } ?? 0
    }

    /// Every stream name, in byte order (for tools and tests; O(streams)).
    public func streamNames() throws -> [StreamName] {
        var names: [StreamName] = []
        try transaction.withCursor(streams) { cursor in
            var positioned = try cursor.first()
            while positioned {
                names.append(StreamName(unchecked: String(decoding: cursor.key, as: UTF8.self)))
                positioned = try cursor.next()
            }
        }
        return names
    }
}

/// One entry of the stream index: versions `firstVersion...lastVersion` of a stream, stored at consecutive
/// positions from `firstPosition`.
struct StreamRun {
    let lastVersion: UInt64
    let firstPosition: UInt64
    let count: UInt64

    /// Nil when the entry belongs to another stream (the cursor walked past this stream's runs).
    init?(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, stream: UInt64) {
        guard key.count == 16, value.count == 16, readBigEndianUInt64(key, at: 0) == stream else { return nil }
        lastVersion = readBigEndianUInt64(key, at: 8)
        firstPosition = readBigEndianUInt64(value, at: 0)
        count = readBigEndianUInt64(value, at: 8)
    }

    var firstVersion: UInt64 { lastVersion - count + 1 }

    func position(of version: UInt64) -> UInt64 { firstPosition + (version - firstVersion) }
}
