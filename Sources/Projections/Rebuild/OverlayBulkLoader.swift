import EventStore

/// The bulk loader of a projection written over `ProjectionTables` (the directory, the outbox): its own `apply`
/// runs against an in-memory overlay of its empty idle tables, which are then written in key order with LMDB's
/// append mode (`BulkWriter`). The bytes are the incremental path's because the code is: a change of a table's
/// format changes both alike.
///
/// Memory is bounded by `byteLimit` (keys, values and indexes of the overlay): once past it the loader is full,
/// and the rebuild replays the rest incrementally.
final class OverlayBulkLoader<Projection: OverlayProjection>: BulkLoader {
    private let projection: Projection
    private let overlay: TableOverlay
    private let byteLimit: Int
    private(set) var lastPosition: UInt64 = 0

    /// `projection` pinned to the idle table set (its `tables` are its own).
    init(projection: Projection, byteLimit: Int) {
        self.projection = projection
        overlay = TableOverlay(tables: projection.tables.filter { $0 != ActiveTableSet.table })
        self.byteLimit = byteLimit
    }

    func add(_ event: EventView, in context: BulkReadContext) throws -> Bool {
        if projection.isInterested(in: event) {
            guard overlay.byteCount < byteLimit else { return false }
            overlay.reader = context.reader
            defer { overlay.reader = nil }
            try projection.apply(try context.projected(event), to: overlay)
        }
        lastPosition = event.position
        return true
    }

    func write(
        transactionBytes: Int, from place: BulkWritePlace, transact: BulkWriter.Transact,
        progress: (StoreWriter, BulkWritePlace) throws -> Void, lastly: (StoreWriter) throws -> Void
    ) throws {
        let overlay = self.overlay
        let segments = overlay.tables.indices.map { index in
            BulkWriter.Segment(table: overlay.tables[index]) { overlay.sorted(index) }
        }
        try BulkWriter(segments: segments, transactionBytes: transactionBytes).run(
            from: place, transact: transact, progress: progress, lastly: lastly)
    }
}

/// What the loaders of one bulk read share: the read transaction (its log, for projections that consult it)
/// and the event being read, copied out of the map and decoded once however many loaders want it.
final class BulkReadContext {
    /// Valid only during the read transaction it came from.
    var reader: StoreReader?
    private var current: ProjectedEvent?

    init() {}

    func projected(_ event: EventView) throws -> ProjectedEvent {
        if let current, current.recorded.position == event.position { return current }
        let projected = ProjectedEvent(try event.materialize())
        current = projected
        return projected
    }
}

extension CustomerDirectory: BulkLoadable {
    func makeBulkLoader(customerLimit: Int, logSize: UInt64) -> any BulkLoader {
        // Three entries of about 40 bytes per customer (email, reference, a token), plus the overlay's own.
        OverlayBulkLoader(projection: self, byteLimit: customerLimit * 256)
    }
}

extension EmailOutbox: BulkLoadable {
    func makeBulkLoader(customerLimit: Int, logSize: UInt64) -> any BulkLoader {
        // The customer's reference and email, and an entry of about 150 bytes per email asked for.
        OverlayBulkLoader(projection: self, byteLimit: customerLimit * 256)
    }
}
