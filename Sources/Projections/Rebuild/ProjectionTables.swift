import CustomerAggregate
import EventStore

/// Where a projection's `apply` reads and writes its own tables: the write transaction (the incremental path),
/// or a rebuild's in-memory overlay of the empty idle tables (`TableOverlay`). One piece of code makes both, so a
/// rebuild's bytes are the incremental path's bytes by construction, whatever the tables' format becomes.
///
/// Only what `apply` needs: point reads, puts, deletes, and a walk of every entry in no particular order (order
/// must not matter to `apply`). Tables are plain (not duplicate-sorted).
protocol ProjectionTables {
    /// The log as of this event (what `apply` may read besides its own tables).
    var log: StoreReader { get }
    /// Calls `body` with the value under `key` (valid only inside `body`), or returns nil when there is none.
    func get<R>(_ table: TableSpec, _ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R?
    func put(_ table: TableSpec, _ key: [UInt8], _ value: [UInt8]) throws
    /// Returns false when `key` was absent.
    @discardableResult
    func delete(_ table: TableSpec, _ key: [UInt8]) throws -> Bool
    /// Every entry of `table`; `body` must not change the table.
    func forEach(_ table: TableSpec, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws
}

/// The tables as the write transaction holds them.
struct TransactionTables: ProjectionTables {
    let writer: StoreWriter

    var log: StoreReader { writer }

    @inline(__always)
    func get<R>(_ table: TableSpec, _ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try writer.get(writer.table(table), key, body)
    }

    @inline(__always)
    func put(_ table: TableSpec, _ key: [UInt8], _ value: [UInt8]) throws {
        try writer.put(writer.table(table), key, value)
    }

    @discardableResult
    func delete(_ table: TableSpec, _ key: [UInt8]) throws -> Bool {
        try writer.delete(writer.table(table), key)
    }

    func forEach(_ table: TableSpec, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
        try writer.withCursor(writer.table(table)) { cursor in
            var positioned = try cursor.first()
            while positioned {
                try body(cursor.key, cursor.value)
                positioned = try cursor.next()
            }
        }
    }
}

/// One event on its way through the projections of a rebuild, decoded at most once whichever of them asks.
final class ProjectedEvent {
    let recorded: RecordedEvent
    private var decodedCustomerEvent: CustomerEvent?
    private var isDecoded = false
    private var parsedCustomer: CustomerID??

    init(_ recorded: RecordedEvent) {
        self.recorded = recorded
    }

    /// The customer whose stream the event is on, nil for a stream not named like a customer's (parsed once).
    var customer: CustomerID? {
        if let parsedCustomer { return parsedCustomer }
        let parsed = CustomerID(streamName: recorded.stream.rawValue)
        parsedCustomer = .some(parsed)
        return parsed
    }

    /// The customer event, nil when the event is of another family.
    func customerEvent() throws -> CustomerEvent? {
        if !isDecoded {
            decodedCustomerEvent = CustomerEvent.contains(recorded) ? try CustomerEvent.decode(recorded) : nil
            isDecoded = true
        }
        return decodedCustomerEvent
    }
}

/// A projection whose `apply` is written over `ProjectionTables`: the rebuild fills its empty tables in memory
/// with that same code (`OverlayBulkLoader`) and writes them in key order.
/// The rebuilder calls it on the projection pinned to the idle table set, whose `tables` are its own.
protocol OverlayProjection: RebuildableProjection {
    func apply<Tables: ProjectionTables>(_ event: ProjectedEvent, to tables: Tables) throws
}
