import CustomerAggregate
import EventStore
import Foundation
import Projections

/// The Audit and Outbox pages of the back office and `GET /api/audit`, newest first and a page at a time: each
/// page reads the part of the log it shows (see `StatusAudit.newestFirst`, `EmailOutbox.newestFirst`), in one
/// snapshot, and its `nextCursor` goes on below its last row.
extension CustomerService {
    /// The status changes of one page: `cursor` is a previous page's `nextCursor` for the same filter.
    public func statusChangePage(_ query: StatusChangeQuery) throws -> StatusChangePage {
        let cursors = LogPageCursor(tokens: tokens, purpose: "audit")
        let below = try query.cursor.map { cursor throws(LogCursorError) in try cursors.decode(cursor, filter: query.filterKey) }
        return try store.read { reader in
            let changes: [StatusChange]
            let hasOlder: Bool
            if let customer = query.customer {
                // One customer's stream is short: its changes are computed forward and paged here.
                let all = try StatusAudit.changes(in: reader, since: query.since, until: query.until, customer: try resolve(customer, in: reader))
                let older = all.reversed().filter { change in below.map { change.causePosition < $0 } ?? true }
                changes = Array(older.prefix(query.limit))
                hasOlder = older.count > query.limit
            } else {
                (changes, hasOlder) = try StatusAudit.newestFirst(in: reader, below: below, since: query.since, until: query.until, limit: query.limit)
            }
            let next = hasOlder ? changes.last.map { cursors.encode(position: $0.causePosition, filter: query.filterKey) } : nil
            return StatusChangePage(items: changes, nextCursor: next)
        }
    }

    /// The outbox's emails of one page, newest first: `cursor` is a previous page's `nextCursor` for the same state.
    public func outboxPage(_ query: OutboxPageQuery) throws -> OutboxPage {
        let cursors = LogPageCursor(tokens: tokens, purpose: "outbox")
        let filter = query.state ?? ""
        let below = try query.cursor.map { cursor throws(LogCursorError) in try cursors.decode(cursor, filter: filter) }
        let found = try store.read { try outbox.newestFirst(in: $0, below: below, state: query.state, limit: query.limit) }
        return OutboxPage(
            items: found.entries, nextCursor: found.continueBelow.map { cursors.encode(position: $0, filter: filter) },
            searchedBackTo: found.searchedBackTo)
    }
}

/// What `statusChangePage` is asked: the `audit` filter (bounds inclusive), a page size and where to go on.
public struct StatusChangeQuery: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maximumLimit = 1_000

    public var since: Date?
    public var until: Date?
    /// A reference or an email.
    public var customer: String?
    public var limit: Int
    public var cursor: String?

    public init(since: Date? = nil, until: Date? = nil, customer: String? = nil, limit: Int = defaultLimit, cursor: String? = nil) {
        self.since = since
        self.until = until
        self.customer = customer
        self.limit = max(1, min(limit, Self.maximumLimit))
        self.cursor = cursor
    }

    /// What a cursor is bound to: the filter exactly as asked (another spelling of the same customer is another filter).
    var filterKey: String {
        [since.map { String($0.timeIntervalSince1970) } ?? "", until.map { String($0.timeIntervalSince1970) } ?? "", customer ?? ""]
            .joined(separator: "\u{0}")
    }
}

/// One page of status changes, newest first; `nextCursor` is nil on the last page.
public struct StatusChangePage: Sendable, Equatable {
    public var items: [StatusChange]
    public var nextCursor: String?

    public init(items: [StatusChange] = [], nextCursor: String? = nil) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// What `outboxPage` is asked: the state (`pending`, `sent`, `failed`, `dead`; nil: any), a page size and where to go on.
public struct OutboxPageQuery: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maximumLimit = 1_000

    public var state: String?
    public var limit: Int
    public var cursor: String?

    public init(state: String? = nil, limit: Int = defaultLimit, cursor: String? = nil) {
        self.state = state
        self.limit = max(1, min(limit, Self.maximumLimit))
        self.cursor = cursor
    }
}

/// One page of the outbox, newest first.
public struct OutboxPage: Sendable, Equatable {
    public var items: [OutboxEntry]
    /// nil once the log was read to its start.
    public var nextCursor: String?
    /// Set when the page stopped at its share of the log before it was full (a rare state): the time of the oldest
    /// event it looked at; every matching email queued from the page's start back to then is on it.
    public var searchedBackTo: Date?
}
