import Projections

extension CustomerService {
    /// One page of the customer list (`list`), in one consistent snapshot.
    public func listPage(_ query: CustomerListQuery) throws -> CustomerListPage {
        try store.read { try CustomerListView.page(query, in: $0) }
    }

    /// Every customer that matches `query`, in its order, a batch at a time (`list --all`): constant memory and
    /// one short read transaction per batch (`CustomerListView.forEachBatch`). Returns the number of rows.
    @discardableResult
    public func forEachListedCustomer(
        matching query: CustomerListQuery, batchSize: Int = CustomerListView.streamBatchSize,
        _ body: ([CustomerRow]) throws -> Void
    ) throws -> Int {
        try CustomerListView.forEachBatch(matching: query, in: store, batchSize: batchSize, body)
    }
}
