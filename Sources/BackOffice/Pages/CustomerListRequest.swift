import CustomerAggregate
import CustomerService
import HTTPServer

/// The list's query parameters (`?status=verified&search=ann&sort=email&dir=desc&cursor=…`), read leniently: a
/// value the list does not know is ignored (the page shows the default), since the links that produce them
/// are ours and a hand-edited URL deserves a page, not an error.
struct CustomerListRequest: Sendable, Equatable {
    var status: CustomerStatus?
    var search: String?
    var sort: CustomerListSort
    var descending: Bool
    var cursor: String?

    static let pageSize = 20

    init(_ query: URLEncodedForm) {
        status = query["status"].flatMap(CustomerStatus.init(matching:))
        let search = query["search"]?.trimmingWhitespace()
        self.search = search?.isEmpty == false ? search : nil
        sort = query["sort"].flatMap(CustomerListSort.init(rawValue:)) ?? .created
        descending = query["dir"] == "desc"
        cursor = query["cursor"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var listQuery: CustomerListQuery {
        CustomerListQuery(status: status, search: search, sort: sort, descending: descending, limit: Self.pageSize, cursor: cursor)
    }

    /// The filter and order as query parameters (no cursor).
    var parameters: [(String, String?)] {
        [("status", status?.rawValue.lowercased()), ("search", search), ("sort", sort == .created ? nil : sort.rawValue),
         ("dir", descending ? "desc" : nil)]
    }

    /// The link a column header points to: this column ascending, or descending when it is already ascending.
    func sortLink(_ column: CustomerListSort) -> String {
        var next = self
        next.cursor = nil
        next.descending = sort == column && !descending
        next.sort = column
        return BackOfficeURL.with(BackOfficeURL.customers, next.parameters)
    }

    func link(cursor: String?) -> String {
        BackOfficeURL.with(BackOfficeURL.customers, parameters + [("cursor", cursor)])
    }

    var csvLink: String { BackOfficeURL.with(BackOfficeURL.customersCSV, parameters) }
}
