import CompactCodec
import Foundation
import Synchronization

/// The append-only event log of customer-es, in one LMDB environment together with whatever the layers above
/// keep beside it (projections, indexes, checkpoints), so that all of it commits in one transaction.
///
/// ```swift
/// let store = try EventStore(directory: url)
/// try store.write { writer in
///     try writer.append([event], to: stream, expectedVersion: .noStream)
/// }
/// let events = try store.read { try $0.readStream(stream) }
/// ```
public final class EventStore: Sendable {
    /// The on-disk format this build writes and understands. Bump when the layout of any table changes.
    /// 3: a stream's first run lives in its `streams` entry, written once (see `StreamEntry`); stores of format 2
    /// are relabelled by their first append, stores of format 1 keep their bookkeeping until `migrate`.
    /// 4: the log as in 3; the customer directory keys references by number and keeps no counter, so builds of
    /// format 3 (which would miss those keys and hand a number out again) must refuse the store. Stores of
    /// format 2 and 3 are relabelled 4 by their first append like before (their older directory keys still read).
    public static let formatVersion: UInt32 = 4
    /// The first format that seals personal data (`PersonalSeal`); stores of format 1 open and work, and `migrate`
    /// seals their events.
    public static let sealedFormatVersion: UInt32 = 2

    public struct Options: Sendable {
        public var initialMapSize: Int = 1 << 30
        public var maxPayloadBytes: Int = 1 << 20
        /// The time recorded on events (injected so that tests can travel in time).
        public var clock: @Sendable () -> Date = { Date() }
        /// How long a write waits for another process's writer before it gives up with `.writerBusy`
        /// (nil: as long as it takes).
        public var lockTimeout: TimeInterval?
        /// Called once per write that has waited `WriterLock.quietWait` (1 s) for another writer, with that
        /// writer's pid when known: the place to tell a person that nothing is hung.
        public var onWaitingForWriter: (@Sendable (Int32?) -> Void)?
        public init(
            initialMapSize: Int = 1 << 30, maxPayloadBytes: Int = 1 << 20, clock: @escaping @Sendable () -> Date = { Date() },
            lockTimeout: TimeInterval? = nil, onWaitingForWriter: (@Sendable (Int32?) -> Void)? = nil
        ) {
            self.initialMapSize = initialMapSize
            self.maxPayloadBytes = maxPayloadBytes
            self.clock = clock
            self.lockTimeout = lockTimeout
            self.onWaitingForWriter = onWaitingForWriter
        }
    }

    /// Reading only (`MDB_RDONLY`: no table, key or marker is ever created, the medium may be read-only), or
    /// reading and writing (creates the store in an absent or empty folder).
    public enum Access: Sendable, Equatable {
        case readOnly
        case readWrite
    }

    public let environment: Environment
    public let directory: URL
    public let access: Access
    /// Whether this open created the store (its folder was absent or empty, or held an environment whose first
    /// initialisation never committed): what lets the layers above create what belongs to a new store only.
    public let wasCreated: Bool
    let options: Options
    let projections: [any InlineProjection]
    /// nil when read-only.
    let writerLock: WriterLock?
    /// Held shared while the store is open (nil on a read-only medium without `lock.mdb`): see `compact()`.
    let openLock: OpenLock?
    /// The environments (by path) this process has compacted away: they map a replaced file, so every
    /// `EventStore` of this process on that path must stop using them (they share one environment).
    static let retiredPaths = Mutex<Set<String>>([])

    /// Opens the store in `directory` with the tables of `projections` and `additionalTables` (see
    /// `StoreOpening` for what is refused). With `.readWrite`, an absent or empty folder becomes a new store.
    public init(
        directory: URL, options: Options = Options(), projections: [any InlineProjection] = [],
        additionalTables: [TableSpec] = [], access: Access = .readWrite
    ) throws {
        self.directory = directory
        self.options = options
        self.projections = projections
        self.access = access
        let tables = StoreTables.all + projections.flatMap(\.tables) + additionalTables
        // Taken before the environment opens when the store exists, so that a compaction in progress is waited
        // for rather than raced (a new store has no `lock.mdb` yet and nothing to compact).
        let early = OpenLock.shared(inFolder: directory.path)
        let opened = try StoreOpening(directory: directory, options: options, tables: tables).open(access)
        environment = opened.environment
        writerLock = opened.writerLock
        wasCreated = opened.created
        openLock = early ?? OpenLock.shared(inFolder: directory.path)
    }

    func ensureNotRetired() throws {
        if Self.retiredPaths.withLock({ $0.contains(environment.path) }) { throw EventStoreError.compactedAway(path: directory.path) }
    }

    /// Whether `declaration` was opened with the store (every table must be declared when it opens).
    public func hasTable(_ declaration: TableSpec) -> Bool { environment.hasTable(named: declaration.name) }

    /// Whether `directory` holds a store (without creating anything).
    public static func exists(at directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("data.mdb").path)
    }

    // MARK: Transactions

    /// Runs `body` in a consistent snapshot; never waits for writers.
    public func read<R>(_ body: (StoreReader) throws -> R) throws -> R {
        try ensureNotRetired()
        do {
            return try environment.read { try body(StoreReader($0)) }
        } catch let error as LMDBError {
            throw EventStoreError.storage(error)
        }
    }

    /// For a writer that runs many write transactions in a row (a rebuild, an import), between two of them: when
    /// a writer of another process waits for the store, returns only once it has had its turn (or after
    /// `limit`), so that a command waits for one transaction of the busy writer, not for all of them.
    public func yieldToWaitingWriters(upTo limit: TimeInterval = 0.1) {
        writerLock?.yieldToWaitingWriters(limit: limit)
    }

    /// For a process that walks much of the store (a rebuild, an import): lets go of the pages of the data file it
    /// has read so far, which otherwise stay in its resident memory (`Environment.releaseMappedPages`). Safe at
    /// any moment; the next read maps the pages it needs again.
    public func releaseMappedPages() {
        environment.releaseMappedPages()
    }

    /// Runs `body` in the write transaction and commits durably when it returns (all or nothing).
    /// `body` may run again if the map had to grow: keep side effects inside the transaction.
    ///
    /// Takes the store's writer lock first (`WriterLock`): waits at most `Options.lockTimeout`, and reports a
    /// wait longer than a second through `Options.onWaitingForWriter`.
    public func write<R>(_ body: (StoreWriter) throws -> R) throws -> R {
        guard let writerLock else { throw EventStoreError.readOnly(path: directory.path) }
        if TransactionNesting.isInsideTransaction {
            fatalError("customer-es: a write transaction was started inside another transaction on the same thread; use the transaction you already have")
        }
        try writerLock.acquire(timeout: options.lockTimeout, onWaiting: options.onWaitingForWriter)
        defer { writerLock.release() }
        try ensureNotRetired()
        do {
            return try environment.write { transaction in
                let writer = StoreWriter(transaction, options: options, projections: projections)
                let result = try body(writer)
                try writer.applyProjectionsAtCommit()
                return result
            }
        } catch let error as LMDBError {
            throw StoreOpening.storeError(error, path: directory.path)
        }
    }

    // MARK: Conveniences (one transaction each)

    @discardableResult
    public func append(_ events: [EventData], to stream: StreamName, expectedVersion: ExpectedVersion) throws -> AppendResult {
        try write { try $0.append(events, to: stream, expectedVersion: expectedVersion) }
    }

    public func readStream(_ stream: StreamName, from version: UInt64? = nil, direction: StoreReader.Direction = .forward, limit: Int = .max) throws -> [RecordedEvent] {
        try read { try $0.readStream(stream, from: version, direction: direction, limit: limit) }
    }

    public func readAll(from position: UInt64 = 1, limit: Int = .max) throws -> [RecordedEvent] {
        try read { try $0.readAll(from: position, limit: limit) }
    }

    public func headPosition() throws -> UInt64 {
        try read { try $0.headPosition() }
    }

    public func checkpoint(_ name: String) throws -> UInt64 {
        try read { try $0.checkpoint(name) }
    }

    /// A hot, compacted backup into an empty (or absent) folder (0700, `data.mdb` 0600); safe while other
    /// processes write. Returns the head position of the copy itself, read from the copy.
    @discardableResult
    public func backup(to directory: URL) throws -> UInt64 {
        try ensureNotRetired()
        do {
            // While erased data may still sit in free space of the live file, the backup is scrubbed too.
            if isCompactionPending {
                try environment.scrubbedCopy(to: directory)
            } else {
                try environment.copy(to: directory, compact: true)
            }
            return try Environment.lastKey(in: StoreTables.events.name, at: directory.standardizedFileURL.path)
                .map { $0.withUnsafeBytes { readBigEndianUInt64($0) } } ?? 0
        } catch let error as LMDBError {
            throw StoreOpening.storeError(error, path: directory.path)
        }
    }
}
