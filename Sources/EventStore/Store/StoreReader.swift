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

    /// The committed state this reader sees, for caches of what was computed from it; nil inside a write.
    public final var snapshotIdentity: SnapshotIdentity? { transaction.snapshotIdentity }

    /// The vault entry (salt ‖ whole payload) of the event at `position`, nil when there is none.
    func vaultEntry(at position: UInt64) throws -> [UInt8]? {
        try transaction.value(vault, BigEndianUInt64(position))
    }

    /// The positions of sealed events whose vault entry does not match the commitment in the log, and of vault
    /// entries without a sealed event. `matches(commitment, salt, payload)` recomputes the commitment (the store
    /// has no digest of its own). O(vault).
    public func vaultMismatches(_ matches: ([UInt8], [UInt8], [UInt8]) -> Bool) throws -> [UInt64] {
        // One entry at a time, its event looked up beside it (a million customers' vault is hundreds of
        // megabytes: it is not gathered first).
        var mismatches: [UInt64] = []
        try transaction.withCursor(vault) { cursor in
            var positioned = try cursor.first()
            while positioned {
                let position = readBigEndianUInt64(cursor.key)
                let entry = cursor.value
                let commitment = try transaction.get(events, BigEndianUInt64(position)) { bytes throws(EventStoreError) in
                    try EventEnvelope.decode(position: position, bytes: bytes).commitment
                } ?? nil
                if commitment == nil || entry.count < EventVault.saltByteCount
                    || !matches(commitment ?? [], Array(entry.prefix(EventVault.saltByteCount)), Array(entry.dropFirst(EventVault.saltByteCount))) {
                    mismatches.append(position)
                }
                positioned = try cursor.next()
            }
        }
        return mismatches
    }

    /// How many events still have their personal data in the vault (for tools and tests).
    public func vaultEntryCount() throws -> Int { try transaction.count(vault) }

    /// The store's format version as recorded in the store (1: written before events were sealed).
    /// Read once per transaction (projections ask per event): only this transaction's own writer changes it.
    public func recordedFormatVersion() throws -> UInt32 {
        if let knownFormatVersion { return knownFormatVersion }
        let found = try transaction.get(meta, StoreOpening.formatKey) { UInt32(truncatingIfNeeded: readBigEndianUInt64($0)) } ?? 0
        knownFormatVersion = found
        return found
    }

    /// What `recordedFormatVersion` read (or the writer recorded) in this transaction.
    var knownFormatVersion: UInt32?

    /// The stream's entry in `streams` with its current version, or nil when it has no events.
    func streamEntry(_ stream: StreamName) throws -> StreamEntry? {
        guard let stored = try transaction.get(streams, Array(stream.rawValue.utf8), { StreamEntry(value: $0) }) else { return nil }
        guard var entry = stored else {
            throw EventStoreError.corruptEvent(position: 0, reason: "the entry of stream \(stream) in the streams table is malformed")
        }
        // The stream index holds every run after the first one kept in the entry (all runs for an entry of
        // format 2 or older, whose stored version is not kept up to date from format 3 on).
        if let last = try lastIndexedRun(ofStream: entry.number) {
            entry.version = last.lastVersion
        } else if let first = entry.firstRun {
            entry.version = first.lastVersion
        }
        return entry
    }

    /// The stream's last run in the stream index, nil when the index has none for it.
    private func lastIndexedRun(ofStream number: UInt64) throws -> StreamRun? {
        try transaction.withCursor(streamIndex) { cursor in
            guard try cursor.seek(atOrBefore: BigEndianUInt64Pair(number, .max)) else { return nil }
            return StreamRun(key: cursor.key, value: cursor.value, stream: number)
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
        var current = version ?? (direction == .forward ? 1 : entry.version)
        guard current >= 1, current <= entry.version else { return [] }
        try transaction.withCursor(streamIndex) { cursor in
            while result.count < limit, current >= 1, current <= entry.version {
                guard let run = try run(containing: current, of: entry, cursor: cursor) else {
                    throw EventStoreError.corruptEvent(position: 0, reason: "stream \(stream) has no index entry for its version \(current)")
                }
                while result.count < limit, current >= run.firstVersion, current <= run.lastVersion {
                    guard let event = try event(at: run.position(of: current)) else {
                        throw EventStoreError.corruptEvent(position: run.position(of: current), reason: "stream \(stream) points at a missing event")
                    }
                    result.append(event)
                    if direction == .forward { current += 1 } else { current -= 1 }
                }
            }
        }
        return result
    }

    /// The run of `entry`'s stream that holds `version`: the first run kept in the entry, or one of the index.
    private func run(containing version: UInt64, of entry: StreamEntry, cursor: Cursor) throws -> StreamRun? {
        if let first = entry.firstRun, version <= first.lastVersion { return version >= first.firstVersion ? first : nil }
        guard try cursor.seek(atOrAfter: BigEndianUInt64Pair(entry.number, version)),
              let run = StreamRun(key: cursor.key, value: cursor.value, stream: entry.number),
              version >= run.firstVersion
        else { return nil }
        return run
    }

    /// The position of `version` in the stream of `entry`, from the run that holds it.
    func position(ofVersion version: UInt64, in entry: StreamEntry) throws -> UInt64? {
        try transaction.withCursor(streamIndex) { cursor in
            try run(containing: version, of: entry, cursor: cursor)?.position(of: version)
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
                guard try body(try joinedView(at: cursor)) else { return }
                positioned = try cursor.next()
            }
        }
    }

    /// The position a named checkpoint was saved at (the head for one that follows the log, see
    /// `StoreWriter.recordApplied`); 0 when never saved.
    public func checkpoint(_ name: String) throws -> UInt64 {
        let saved: UInt64?? = try transaction.get(checkpoints, Array(name.utf8)) { $0.count == 8 ? readBigEndianUInt64($0) : nil }
        switch saved {
        case .none: return 0
        case .some(.some(let position)): return position
        case .some(.none): return try headPosition()
        }
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

/// One run of a stream: versions `firstVersion...lastVersion`, stored at consecutive positions from
/// `firstPosition` (one append's events).
struct StreamRun {
    let lastVersion: UInt64
    let firstPosition: UInt64
    let count: UInt64

    init(lastVersion: UInt64, firstPosition: UInt64, count: UInt64) {
        self.lastVersion = lastVersion
        self.firstPosition = firstPosition
        self.count = count
    }

    /// A run of the stream index; nil when the entry belongs to another stream (the cursor walked past this
    /// stream's runs).
    init?(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, stream: UInt64) {
        guard key.count == 16, value.count == 16, readBigEndianUInt64(key, at: 0) == stream else { return nil }
        lastVersion = readBigEndianUInt64(key, at: 8)
        firstPosition = readBigEndianUInt64(value, at: 0)
        count = readBigEndianUInt64(value, at: 8)
    }

    var firstVersion: UInt64 { lastVersion - count + 1 }

    func position(of version: UInt64) -> UInt64 { firstPosition + (version - firstVersion) }
}

/// A stream's entry in `streams`. From format 3 on it is written once, by the stream's first append, and holds
/// that append's run: a new stream costs one table, not two, and later appends touch only the stream index.
/// Entries of format 2 and older hold the version they had when last written, and all their runs are in the
/// index.
struct StreamEntry {
    let number: UInt64
    /// The stream's first run (format 3); nil for an older entry.
    let firstRun: StreamRun?
    /// The stream's current version (the reader fills it in from the index).
    var version: UInt64

    /// Format 3: stream number ‖ first position ‖ count of the first run, each u64 BE.
    static let byteCount = 24
    /// Format 2 and older: stream number ‖ version, each u64 BE.
    static let legacyByteCount = 16

    /// Nil for a value of neither size.
    init?(value: UnsafeRawBufferPointer) {
        switch value.count {
        case Self.byteCount:
            number = readBigEndianUInt64(value, at: 0)
            let count = readBigEndianUInt64(value, at: 16)
            guard count > 0 else { return nil }
            firstRun = StreamRun(lastVersion: count, firstPosition: readBigEndianUInt64(value, at: 8), count: count)
            version = count
        case Self.legacyByteCount:
            number = readBigEndianUInt64(value, at: 0)
            firstRun = nil
            version = readBigEndianUInt64(value, at: 8)
        default:
            return nil
        }
    }
}
