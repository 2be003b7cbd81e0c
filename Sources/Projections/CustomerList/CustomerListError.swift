import CustomerAggregate

/// A `list` request that cannot be answered as asked: a fact with its details, so that each front end can say it
/// in its own terms (the CLI names its options and answers exit 2; an HTTP front end would name its parameters).
/// `message` says it in neutral words, naming no front end's options.
public struct CustomerListError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not a cursor this program produced (truncated, mistyped, or from another version), or one whose row is gone.
        case malformedCursor
        /// A valid cursor, but from a list with other options (sort, direction, status filter or search).
        case cursorMismatch
        /// A cursor whose MAC does not match: altered, forged, or made by another store.
        case forgedCursor
        case invalidLimit
    }

    /// How a cursor's listing differs from the one asked for.
    public enum ListingDifference: Sendable, Equatable {
        /// `madeFor` is nil when the cursor names a sort this version does not know.
        case sort(madeFor: CustomerListSort?, asked: CustomerListSort)
        case status(madeFor: CustomerStatus?, asked: CustomerStatus?)
        case direction(madeDescending: Bool)
        case search
    }

    public enum Reason: Sendable, Equatable {
        /// Not a cursor of this list: it must be the `nextCursor` of a previous page, copied whole.
        case notACursor
        /// The cursor's row is no longer in the list.
        case noSuchRow
        /// The cursor was altered, forged or made by another store.
        case forged
        /// The cursor belongs to a listing with other options.
        case otherListing([ListingDifference])
        /// The page size is outside `1...CustomerListQuery.maximumLimit`.
        case limitOutOfRange(Int)
    }

    public let reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var code: Code {
        switch reason {
        case .notACursor, .noSuchRow: .malformedCursor
        case .forged: .forgedCursor
        case .otherListing: .cursorMismatch
        case .limitOutOfRange: .invalidLimit
        }
    }

    public var message: String {
        switch reason {
        case .notACursor:
            return "the cursor is not a cursor of this list (it must be the nextCursor of a previous page, copied whole)"
        case .noSuchRow:
            return "the cursor refers to no customer of this store; start over without it"
        case .forged:
            return "the cursor was not made by this store (it was altered, forged or comes from another store); start over without it"
        case .otherListing(let differences):
            return "the cursor belongs to another listing: "
                + differences.map(Self.neutral).joined(separator: "; ")
                + "; repeat the options of the first page, or start over without the cursor"
        case .limitOutOfRange(let limit):
            return "the page size must be between 1 and \(CustomerListQuery.maximumLimit), got \(limit)"
        }
    }

    public var description: String { message }

    private static func neutral(_ difference: ListingDifference) -> String {
        switch difference {
        case let .sort(madeFor, asked):
            return "it was made for \(madeFor.map { "the \($0.rawValue) order" } ?? "another order"), not the \(asked.rawValue) order"
        case let .status(madeFor, asked):
            func filter(_ status: CustomerStatus?) -> String { status.map { "\($0.rawValue) customers" } ?? "every status" }
            return "it was made for \(filter(madeFor)), not \(filter(asked))"
        case .direction(let madeDescending):
            return madeDescending ? "it was made for the descending order" : "it was made for the ascending order"
        case .search:
            return "it was made for another search"
        }
    }
}
