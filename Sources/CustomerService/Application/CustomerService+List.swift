import EventStore
import Projections

extension CustomerService {
    /// One page of the customer list (`list`), in one consistent snapshot.
    public func listPage(_ query: CustomerListQuery) throws -> CustomerListPage {
        try store.read { reader in
            var page = try CustomerListView.page(query, seal: listCursorSeal, in: reader)
            try addPendingEmails(to: &page.items, in: reader)
            return page
        }
    }

    /// Each row's pending email change (from the directory, in the same snapshot as the rows).
    func addPendingEmails(to rows: inout [CustomerRow], in reader: StoreReader) throws {
        let now = clock()
        for index in rows.indices {
            rows[index].pendingEmail = try directory.pendingEmail(of: rows[index].customerId, at: now, in: reader)
        }
    }

    /// List cursors are authenticated with HMAC-SHA256 under the store key.
    public var listCursorSeal: ListCursorSeal { tokens.listCursorSeal }

    /// Every customer that matches `query`, in its order, a batch at a time (`list --all`): constant memory and
    /// one short read transaction per batch (`CustomerListView.forEachBatch`). Returns the number of rows.
    @discardableResult
    public func forEachListedCustomer(
        matching query: CustomerListQuery, batchSize: Int = CustomerListView.streamBatchSize,
        _ body: ([CustomerRow]) throws -> Void
    ) throws -> Int {
        try CustomerListView.forEachBatch(
            matching: query, in: store, batchSize: batchSize, completing: { try addPendingEmails(to: &$0, in: $1) }, body)
    }
}

extension TokenCodec {
    /// Seals list cursors with `authenticationCode(domain: "list-cursor:", …)`.
    public var listCursorSeal: ListCursorSeal {
        ListCursorSeal(authenticate: { authenticationCode(domain: "list-cursor:", message: $0) }, equals: ConstantTime.equals)
    }
}
