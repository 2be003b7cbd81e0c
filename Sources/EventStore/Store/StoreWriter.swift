import CompactCodec
import Foundation

/// Write access to the log inside one `EventStore.write` transaction: append to any number of streams, save
/// checkpoints, and read or write the tables declared beside the log (`put`, `delete`, …) — all committed together.
public final class StoreWriter: StoreReader {
    let writeTransaction: WriteTransaction
    let options: EventStore.Options
    let projections: [any InlineProjection]

    // Loaded lazily once per transaction, then advanced in memory.
    private var nextPosition: UInt64?
    private var lastRecordedMicros: Int64 = .min
    private var nextStreamNumber: UInt64?
    private var knownBookkeeping: StreamBookkeeping?
    private var checkedOtherCheckpoints = false
    private var transactionTime: Date?
    /// Events appended in this transaction, for the projections applied at commit.
    private var pendingForCommit: [RecordedEvent] = []
    private var hasProjectionsAtCommit: Bool { projections.contains { $0.appliesAtCommit } }
    private var encoder = ByteWriter(capacity: 512)

    init(_ transaction: WriteTransaction, options: EventStore.Options, projections: [any InlineProjection]) {
        writeTransaction = transaction
        self.options = options
        self.projections = projections
        super.init(transaction)
    }

    /// Appends `events` to `stream`, atomically with everything else in this transaction.
    ///
    /// Throws `EventStoreError.wrongExpectedVersion` (naming expected and actual) when the stream is not where
    /// the caller believed. When the same events (same ids, same order) are already in the stream at the
    /// expected place, returns the original result and writes nothing: a retried append is harmless.
    @discardableResult
    public func append(
        _ newEvents: [EventData], to stream: StreamName, expectedVersion: ExpectedVersion
    ) throws -> AppendResult {
        guard !newEvents.isEmpty else { throw EventStoreError.invalidEvent("nothing to append to stream \(stream)") }
        for event in newEvents {
            let typeBytes = event.type.utf8.count
            guard typeBytes > 0, typeBytes <= 255 else {
                throw EventStoreError.invalidEvent("event type must be 1–255 bytes, got \(typeBytes) in stream \(stream)")
            }
            guard event.payload.count <= options.maxPayloadBytes else {
                throw EventStoreError.payloadTooLarge(type: event.type, bytes: event.payload.count, limit: options.maxPayloadBytes)
            }
            if let seal = event.personal {
                guard seal.salt.count == EventVault.saltByteCount, seal.commitment.count == EventVault.commitmentByteCount else {
                    throw EventStoreError.invalidEvent("a sealed event needs a 16-byte salt and a 32-byte commitment (\(event.type) in stream \(stream))")
                }
            }
        }

        let entry = try streamEntry(stream)
        let current = entry?.version ?? 0
        if let replay = try alreadyAppended(newEvents, stream: stream, entry: entry, expected: expectedVersion) {
            return replay
        }
        let isExpected: Bool
        switch expectedVersion {
        case .any: isExpected = true
        case .noStream: isExpected = current == 0
        case .exact(let version): isExpected = current == version
        }
        guard isExpected else {
            throw EventStoreError.wrongExpectedVersion(stream: stream, expected: expectedVersion, actual: current)
        }

        let streamNumber = try entry?.number ?? allocateStreamNumber()
        let firstPosition = try loadNextPosition()
        if !checkedOtherCheckpoints, try bookkeeping() == .current {
            try pinCheckpointsOfProjectionsNotApplied(head: firstPosition - 1)
        }
        checkedOtherCheckpoints = true
        let recordedAt = try recordingTime()
        var recorded: [RecordedEvent] = []
        if !projections.isEmpty { recorded.reserveCapacity(newEvents.count) }

        var streamEncoder = ByteWriter(capacity: stream.rawValue.utf8.count + 2)
        streamEncoder.writeString(stream.rawValue)
        let encodedStream = streamEncoder.bytes
        try writeTransaction.withCursor(events) { cursor in
            for (offset, event) in newEvents.enumerated() {
                let position = firstPosition + UInt64(offset)
                let version = current + 1 + UInt64(offset)
                encoder.removeAll()
                EventEnvelope.encode(event, encodedStream: encodedStream, version: version, recordedAt: recordedAt, into: &encoder)
                try cursor.put(BigEndianUInt64(position), encoder.bytes, options: .append)
                if let seal = event.personal {
                    // Its key is the newest position, after every key of the vault.
                    try writeTransaction.put(vault, BigEndianUInt64(position), EventVault.entry(salt: seal.salt, payload: event.payload), options: .append)
                }
                if !projections.isEmpty {
                    recorded.append(RecordedEvent(
                        position: position, stream: stream, version: version, eventID: event.eventID, type: event.type,
                        schemaVersion: event.schemaVersion, recordedAt: recordedAt, metadata: event.metadata,
                        payload: event.payload))
                }
            }
        }
        let lastVersion = current + UInt64(newEvents.count)
        let lastPosition = firstPosition + UInt64(newEvents.count) - 1
        let run = BigEndianUInt64Pair(firstPosition, UInt64(newEvents.count))
        switch try bookkeeping() {
        case .current:
            // A new stream's first run goes into its `streams` entry, written once; every later run into the
            // index alone. So an append touches one of the two tables, never both, and no counter.
            if entry == nil {
                try writeTransaction.put(streams, Array(stream.rawValue.utf8), StreamEntryBytes(number: streamNumber, firstPosition: firstPosition, count: UInt64(newEvents.count)))
            } else {
                try writeTransaction.put(streamIndex, BigEndianUInt64Pair(streamNumber, lastVersion), run)
            }
        case .legacy:
            // A store of format 1, which builds that know only it may still write: every run in the index, the
            // current version in `streams`, the next stream number in `meta`, as they expect.
            try writeTransaction.put(streamIndex, BigEndianUInt64Pair(streamNumber, lastVersion), run)
            try writeTransaction.put(streams, Array(stream.rawValue.utf8), BigEndianUInt64Pair(streamNumber, lastVersion))
        }
        nextPosition = lastPosition + 1

        for projection in projections where !projection.appliesAtCommit {
            for event in recorded { try projection.apply(event, in: self) }
            try recordApplied(projection.name, through: lastPosition)
        }
        if hasProjectionsAtCommit { pendingForCommit += recorded }
        return AppendResult(
            stream: stream, firstVersion: current + 1, lastVersion: lastVersion,
            firstPosition: firstPosition, lastPosition: lastPosition, wasAlreadyAppended: false)
    }

    /// Applies the projections that batch their work at commit (`InlineProjection.appliesAtCommit`) to every event
    /// appended in this transaction. `EventStore.write` calls it after the caller's closure, before the commit.
    func applyProjectionsAtCommit() throws {
        guard !pendingForCommit.isEmpty, let last = pendingForCommit.last?.position else { return }
        for projection in projections where projection.appliesAtCommit {
            try projection.apply(batch: pendingForCommit, in: self)
            try recordApplied(projection.name, through: last)
        }
        pendingForCommit = []
    }

    /// Erases the personal data of every sealed event of `stream`: their vault entries are first overwritten with
    /// zeros (LMDB leaves a deleted value's bytes in the free part of its page) and then deleted. From then on
    /// they read with their public payload (`PersonalDataState.erased`). Returns how many entries were erased.
    @discardableResult
    public func erasePersonalData(of stream: StreamName) throws -> Int {
        guard let entry = try streamEntry(stream) else { return 0 }
        var erased = 0
        var version: UInt64 = 1
        while version <= entry.version {
            guard let position = try position(ofVersion: version, in: entry) else { break }
            let key = BigEndianUInt64(position)
            if let size = try transaction.get(vault, key, { $0.count }) {
                try writeTransaction.put(vault, key, [UInt8](repeating: 0, count: size))
                _ = try writeTransaction.delete(vault, key)
                erased += 1
            }
            version += 1
        }
        return erased
    }

    /// Seals an event already in the log (written before sealing existed): its envelope keeps its id, position,
    /// version, time, type, stream and metadata, and gets `seal`'s public payload and commitment; the whole
    /// payload moves to the vault. The one rewrite of stored events there is, for `migrate`; refuses an event
    /// that is already sealed or whose payload is not the one the seal was made for.
    public func sealStoredEvent(at position: UInt64, seal: PersonalSeal, payload: [UInt8]) throws {
        guard let stored = try transaction.get(events, BigEndianUInt64(position), { bytes throws(EventStoreError) in
            try EventEnvelope.decode(position: position, bytes: bytes)
        }) else {
            throw EventStoreError.invalidEvent("no event at position \(position) to seal")
        }
        guard stored.commitment == nil, stored.payload == payload else {
            throw EventStoreError.invalidEvent("the event at position \(position) is already sealed or has another payload")
        }
        try writeTransaction.put(events, BigEndianUInt64(position), EventEnvelope.sealed(stored, seal: seal))
        try writeTransaction.put(vault, BigEndianUInt64(position), EventVault.entry(salt: seal.salt, payload: payload))
    }

    /// Records the store's format version (`migrate`, once every event is in that format).
    public func recordFormatVersion(_ version: UInt32) throws {
        try writeTransaction.put(meta, StoreOpening.formatKey, BigEndianUInt64(UInt64(version)))
        knownFormatVersion = version
    }

    /// Saves a named checkpoint at `position` in this transaction (so it commits with the state it describes).
    public func saveCheckpoint(_ name: String, position: UInt64) throws {
        try writeTransaction.put(checkpoints, Array(name.utf8), BigEndianUInt64(position))
    }

    // MARK: Internals

    /// Detects a retried append: the same event ids already sit in the stream right after the expected version
    /// (or, for `.any`, at the stream's end).
    private func alreadyAppended(
        _ newEvents: [EventData], stream: StreamName, entry: StreamEntry?, expected: ExpectedVersion
    ) throws -> AppendResult? {
        guard let entry else { return nil }
        let start: UInt64
        switch expected {
        case .noStream: start = 1
        case .exact(let version): start = version + 1
        case .any:
            guard entry.version >= UInt64(newEvents.count) else { return nil }
            start = entry.version - UInt64(newEvents.count) + 1
        }
        guard start >= 1, start + UInt64(newEvents.count) - 1 <= entry.version else { return nil }
        // Fast path: a new append almost never matches even its first event, so check that one alone first.
        guard let firstID = newEvents.first?.eventID, try storedEventID(entry, version: start) == firstID else {
            return nil
        }
        var positions: [UInt64] = []
        for (offset, event) in newEvents.enumerated() {
            guard let position = try position(ofVersion: start + UInt64(offset), in: entry),
                  let stored = try transaction.get(events, BigEndianUInt64(position), { try EventView(position: position, bytes: $0).eventID }),
                  stored == event.eventID
            else { return nil }
            positions.append(position)
        }
        return AppendResult(
            stream: stream, firstVersion: start, lastVersion: start + UInt64(newEvents.count) - 1,
            firstPosition: positions.first ?? 0, lastPosition: positions.last ?? 0, wasAlreadyAppended: true)
    }

    private func storedEventID(_ entry: StreamEntry, version: UInt64) throws -> UUID? {
        guard let position = try position(ofVersion: version, in: entry) else {
            return nil
        }
        return try transaction.get(events, BigEndianUInt64(position)) { try EventView(position: position, bytes: $0).eventID }
    }

    private func loadNextPosition() throws -> UInt64 {
        if let nextPosition { return nextPosition }
        var head: UInt64 = 0
        try transaction.withCursor(events) { cursor in
            if try cursor.last() {
                head = readBigEndianUInt64(cursor.key)
                lastRecordedMicros = try EventView(position: head, bytes: cursor.value).recordedAtMicroseconds
            }
        }
        nextPosition = head + 1
        return head + 1
    }

    /// The time recorded on every event appended in this transaction (its commit time, to the microsecond).
    ///
    /// Commands take their decisions at this same instant, so a `createdAt` in a payload equals its event's
    /// `recordedAt`, and `show --as-of <createdAt>` finds the customer. Recorded times never go backwards along
    /// the log, even if the wall clock does, so that time ranges (`audit --since`, `--as-of`) cut the log at one
    /// point.
    public func recordingTime() throws -> Date {
        if let transactionTime { return transactionTime }
        _ = try loadNextPosition()  // loads the last recorded time
        let now = Int64((options.clock().timeIntervalSince1970 * 1_000_000).rounded())
        let time = Date(timeIntervalSince1970: Double(max(lastRecordedMicros, now)) / 1_000_000)
        transactionTime = time
        return time
    }

    private static let nextStreamNumberKey = Array("next-stream-number".utf8)

    /// Stream numbers are 1, 2, 3… in the order streams were created, and streams are never removed, so the
    /// next one is one more than the number of streams; `meta` still holds the counter of a store last written
    /// in format 1 or 2 (never lower), kept up to date only in a store of format 1.
    private func allocateStreamNumber() throws -> UInt64 {
        let number: UInt64
        if let cached = nextStreamNumber {
            number = cached
        } else {
            let counter = try transaction.get(meta, Self.nextStreamNumberKey) { readBigEndianUInt64($0) } ?? 1
            number = max(counter, UInt64(try transaction.count(streams)) + 1)
        }
        nextStreamNumber = number + 1
        if try bookkeeping() == .legacy {
            try writeTransaction.put(meta, Self.nextStreamNumberKey, BigEndianUInt64(number + 1))
        }
        return number
    }

    /// How this store's log keeps its stream bookkeeping, read once per transaction: a store of format 2 is
    /// relabelled with the current format by its first append (builds that know only format 2 then refuse it
    /// rather than misread the entries written from then on); one of format 1 keeps the old bookkeeping until
    /// `migrate` brings it to the current format.
    func bookkeeping() throws -> StreamBookkeeping {
        if let knownBookkeeping { return knownBookkeeping }
        let format = try recordedFormatVersion()
        let found: StreamBookkeeping
        if format < EventStore.sealedFormatVersion {
            found = .legacy
        } else {
            if format < EventStore.formatVersion { try recordFormatVersion(EventStore.formatVersion) }
            found = .current
        }
        knownBookkeeping = found
        return found
    }
}

/// See `StoreWriter.bookkeeping()`.
enum StreamBookkeeping {
    /// Format 3: a stream's first run in its `streams` entry, later runs in the index, no stream counter.
    case current
    /// Format 1: every run in the index, the current version in `streams`, the counter in `meta`.
    case legacy
}

/// The value of a `streams` entry of format 3 (`StreamEntry`), without an allocation.
struct StreamEntryBytes: ContiguousBytes {
    let storage: (UInt64, UInt64, UInt64)
    init(number: UInt64, firstPosition: UInt64, count: UInt64) {
        storage = (number.bigEndian, firstPosition.bigEndian, count.bigEndian)
    }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }
}
