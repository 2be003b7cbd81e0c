import CustomerAggregate

/// The orders `list --sort` offers. Every order ends with the creation sequence, so it is total and a cursor
/// always names one place in it.
public enum CustomerListSort: String, CaseIterable, Sendable {
    /// By the customer's `createdAt` (an imported customer by the date it was created), ties by reference number.
    case created
    case email
    case firstName = "first-name"
    case lastName = "last-name"
    /// Unverified before Verified, then as `created`.
    case status

    var code: UInt8 {
        switch self {
        case .created: return 1
        case .email: return 2
        case .firstName: return 3
        case .lastName: return 4
        case .status: return 5
        }
    }

    /// The index field whose order this sort reads (`status` reads the creation order per status).
    var indexField: ListOrderKey.Field {
        switch self {
        case .created, .status: return .created
        case .email: return .email
        case .firstName: return .firstName
        case .lastName: return .lastName
        }
    }
}

/// One request for a page of the customer list (`customer-es list …`).
public struct CustomerListQuery: Sendable, Equatable {
    public static let defaultLimit = 10
    public static let maximumLimit = 10_000

    public var status: CustomerStatus?
    /// Substring of the reference, email, first or last name, company or phone, case and accents ignored
    /// (`TextFolding.fold`); nil or empty = no search.
    public var search: String?
    public var sort: CustomerListSort
    public var descending: Bool
    public var limit: Int
    /// The `nextCursor` of the previous page, asked with the same status, search, sort and direction.
    public var cursor: String?

    public init(
        status: CustomerStatus? = nil, search: String? = nil, sort: CustomerListSort = .created,
        descending: Bool = false, limit: Int = CustomerListQuery.defaultLimit, cursor: String? = nil
    ) {
        self.status = status
        self.search = search
        self.sort = sort
        self.descending = descending
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of the list.
public struct CustomerListPage: Sendable, Equatable {
    public var items: [CustomerRow]
    /// Customers matching the status filter and search, on all pages.
    public var total: Int
    /// Pass as `cursor` to get the next page; nil on the last page.
    public var nextCursor: String?

    public init(items: [CustomerRow], total: Int, nextCursor: String?) {
        self.items = items
        self.total = total
        self.nextCursor = nextCursor
    }
}
