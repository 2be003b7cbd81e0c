import CustomerAggregate
import CustomerService

/// How the command line says a refused `list` request: in terms of its own options (`--cursor`, `--sort`, …).
enum ListUsageText {
    static func text(_ error: CustomerListError) -> String {
        switch error.reason {
        case .notACursor:
            return "--cursor is not a cursor of this list (it must be the nextCursor of a previous page, copied whole)"
        case .noSuchRow:
            return "--cursor refers to no customer of this store; drop --cursor to start over"
        case .forged:
            return "--cursor was not made by this store (it was altered, forged or comes from another store); drop --cursor to start over"
        case .otherListing(let differences):
            return "--cursor belongs to another listing: " + differences.map(text).joined(separator: "; ")
                + "; repeat the options of the first page, or drop --cursor to start over"
        case .limitOutOfRange(let limit):
            return "--limit must be between 1 and \(CustomerListQuery.maximumLimit), got \(limit)"
        }
    }

    private static func text(_ difference: CustomerListError.ListingDifference) -> String {
        switch difference {
        case let .sort(madeFor, asked):
            return "it was made for \(madeFor.map { "--sort \($0.rawValue)" } ?? "another sort"), not --sort \(asked.rawValue)"
        case let .status(madeFor, asked):
            func option(_ status: CustomerStatus?) -> String { status.map { "--status \($0.rawValue.lowercased())" } ?? "no --status" }
            return "it was made for \(option(madeFor)), not \(option(asked))"
        case .direction(let madeDescending):
            return madeDescending ? "it was made with --desc" : "it was made without --desc"
        case .search:
            return "it was made for another --search"
        }
    }
}
