import CustomerAggregate
import EventStore

extension CustomerListView {
    /// Rows per read transaction of `forEachBatch`.
    public static let streamBatchSize = 1000

    /// Every row that matches `query`'s status filter and search, in its sort and direction (`limit` and
    /// `cursor` are ignored), handed to `body` a batch at a time.
    ///
    /// Each batch is read in its own short read transaction and continues after the place of the previous
    /// batch's last row (as a cursor does), so memory stays constant whatever the number of rows, a long export
    /// never holds a reader that would keep LMDB from reusing pages, and rows that others add or move meanwhile
    /// never make a row that existed all along appear twice or not at all. `body` runs with no transaction open.
    /// `complete` runs inside each batch's read transaction (to add what other tables know of the rows).
    /// Returns the number of rows handed out.
    @discardableResult
    public static func forEachBatch(
        matching query: CustomerListQuery, in store: EventStore, batchSize: Int = streamBatchSize,
        completing complete: (inout [CustomerRow], StoreReader) throws -> Void = { _, _ in },
        _ body: ([CustomerRow]) throws -> Void
    ) throws -> Int {
        let view = CustomerListView()
        let search = query.search.flatMap { $0.isEmpty ? nil : TextFolding.fold($0) }
        var after: [UInt8]?
        var count = 0
        while true {
            let slice = try store.read { reader in
                var slice = try view.slice(
                    query, search: search, after: after, limit: max(1, batchSize), tables: try view.resolveTables(in: reader),
                    in: reader)
                try complete(&slice.items, reader)
                return slice
            }
            if !slice.items.isEmpty { try body(slice.items) }
            count += slice.items.count
            guard slice.hasMore, let last = slice.lastPosition else { return count }
            after = last
        }
    }
}
