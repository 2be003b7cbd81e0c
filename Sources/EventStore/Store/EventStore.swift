import CompactCodec
import Foundation

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
    public static let formatVersion: UInt32 = 1

    public struct Options: Sendable {
        public var initialMapSize: Int = 1 << 30
        public var maxPayloadBytes: Int = 1 << 20
        /// The time recorded on events (injected so that tests can travel in time).
        public var clock: @Sendable () -> Date = { Date() }
        public init(initialMapSize: Int = 1 << 30, maxPayloadBytes: Int = 1 << 20, clock: @escaping @Sendable () -> Date = { Date() }) {
            self.initialMapSize = initialMapSize
            self.maxPayloadBytes = maxPayloadBytes
            self.clock = clock
        }
    }

    public let environment: Environment
    public let directory: URL
    let options: Options
    let projections: [any InlineProjection]

    /// Opens (creating when absent) the store in `directory`, with the tables of `projections` and
    /// `additionalTables`. Refuses a store written by a newer customer-es.
    public init(
        directory: URL, options: Options = Options(), projections: [any InlineProjection] = [],
        additionalTables: [TableSpec] = []
    ) throws {
        self.directory = directory
        self.options = options
        self.projections = projections
        let tables = StoreTables.all + projections.flatMap(\.tables) + additionalTables
        do {
            environment = try Environment.open(
                directory: directory, configuration: .init(initialMapSize: options.initialMapSize, tables: tables))
        } catch let error as LMDBError {
            throw EventStoreError.storage(error)
        }
        try checkFormatVersion()
    }

    /// Whether `declaration` was opened with the store (every table must be declared when it opens).
    public func hasTable(_ declaration: TableSpec) -> Bool { environment.hasTable(named: declaration.name) }

    /// Whether `directory` holds a store (without creating anything).
    public static func exists(at directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("data.mdb").path)
    }

    private static let formatKey = Array("format-version".utf8)

    private func checkFormatVersion() throws {
        let found: UInt32? = try read { reader in
            try reader.transaction.get(reader.meta, Self.formatKey) { UInt32(truncatingIfNeeded: readBigEndianUInt64($0)) }
        }
        if let found {
            guard found <= Self.formatVersion else {
                throw EventStoreError.unsupportedFormat(found: found, supported: Self.formatVersion, path: directory.path)
            }
            return
        }
        try write { writer in
            // Re-check inside the write lock: another process may have initialised the store meanwhile.
            if try writer.transaction.contains(writer.meta, Self.formatKey) { return }
            guard try writer.headPosition() == 0 else {
                throw EventStoreError.notAStore(path: self.directory.path, reason: "it holds events but no format version")
            }
            try writer.writeTransaction.put(writer.meta, Self.formatKey, BigEndianUInt64(UInt64(Self.formatVersion)))
        }
    }

    // MARK: Transactions

    /// Runs `body` in a consistent snapshot; never waits for writers.
    public func read<R>(_ body: (StoreReader) throws -> R) throws -> R {
        do {
            return try environment.read { try body(StoreReader($0)) }
        } catch let error as LMDBError {
            throw EventStoreError.storage(error)
        }
    }

    /// Runs `body` in the write transaction and commits durably when it returns (all or nothing).
    /// `body` may run again if the map had to grow: keep side effects inside the transaction.
    public func write<R>(_ body: (StoreWriter) throws -> R) throws -> R {
        do {
            return try environment.write { transaction in
                let writer = StoreWriter(transaction, options: options, projections: projections)
                let result = try body(writer)
                try writer.applyProjectionsAtCommit()
                return result
            }
        } catch let error as LMDBError {
            throw EventStoreError.storage(error)
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

    /// A hot, compacted backup into an empty (or absent) folder; safe while other processes write.
    public func backup(to directory: URL) throws {
        do {
            try environment.copy(to: directory, compact: true)
        } catch let error as LMDBError {
            throw EventStoreError.storage(error)
        }
    }
}
