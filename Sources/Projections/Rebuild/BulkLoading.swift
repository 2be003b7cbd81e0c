import EventStore

/// A projection that can fill its *empty* tables from the start of the log faster than event by event, by
/// collecting in memory and writing in key order. Internal: the rebuilder uses it when present and replays the
/// rest (or everything, for projections without it) through `apply(batch:in:)`.
protocol BulkLoadable {
    /// `customerLimit` bounds the loader's memory (what "customer" means is the projection's business).
    /// `logSize` (the head position) lets the loader size its buffers once.
    func makeBulkLoader(customerLimit: Int, logSize: UInt64) -> any BulkLoader
}

protocol BulkLoader: AnyObject {
    /// Takes the next event of the log; false (event not taken) when the loader is full.
    func add(_ event: EventView, in context: BulkReadContext) throws -> Bool
    /// The last position taken: the incremental replay continues after it.
    var lastPosition: UInt64 { get }
    /// Writes the collected tables in write transactions of about `transactionBytes`, starting at `place` (where a
    /// killed rebuild's bulk writes stopped: the same events give the same entries in the same order); `transact`
    /// runs one write transaction, `progress` runs inside each but the last with the place that follows it, and
    /// `lastly` inside the last one.
    func write(
        transactionBytes: Int, from place: BulkWritePlace, transact: BulkWriter.Transact,
        progress: (StoreWriter, BulkWritePlace) throws -> Void, lastly: (StoreWriter) throws -> Void
    ) throws
}

/// How far a bulk loader's writes went: the run of entries (one table's, in key order) and the entry in it.
struct BulkWritePlace: Equatable {
    var segment = 0
    var entry = 0
}

extension CustomerListView: BulkLoadable {
    func makeBulkLoader(customerLimit: Int, logSize: UInt64) -> any BulkLoader {
        // A customer is at least two events (creation and its verification request), usually about three.
        let loader = CustomerListBulkLoader(customerLimit: customerLimit, expectedCustomers: Int(min(logSize / 2, UInt64(Int32.max))))
        return CustomerListBulkLoaderAdapter(loader: loader, names: primaryNames)
    }
}

private final class CustomerListBulkLoaderAdapter: BulkLoader {
    let loader: CustomerListBulkLoader
    let names: CustomerListTableNames

    init(loader: CustomerListBulkLoader, names: CustomerListTableNames) {
        self.loader = loader
        self.names = names
    }

    func add(_ event: EventView, in context: BulkReadContext) throws -> Bool { try loader.add(event) }
    var lastPosition: UInt64 { loader.lastPosition }

    func write(
        transactionBytes: Int, from place: BulkWritePlace, transact: BulkWriter.Transact,
        progress: (StoreWriter, BulkWritePlace) throws -> Void, lastly: (StoreWriter) throws -> Void
    ) throws {
        try loader.write(
            into: names, transactionBytes: transactionBytes, from: place, transact: transact, progress: progress, lastly: lastly)
    }
}
