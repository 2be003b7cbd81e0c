import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Projections
import TestSupport
import XCTest

/// The outbox a page at a time, newest first (`CustomerService.outboxPage`, `EmailOutbox.newestFirst`): the
/// pages together are exactly the outbox's entries in reverse queue order, with a state filter too; a page that
/// reaches its share of the log stops and says how far back it searched, and the next goes on from there; a
/// cursor is bound to its state filter and to this store.
final class OutboxPagingTests: XCTestCase {
    /// Emails in every state: verification and password-set emails, the two emails of an email change, some
    /// sent, and dead ones (an erased customer's undelivered emails).
    private func outboxInEveryState() throws -> OutboxTestStore {
        let store = try OutboxTestStore()
        try store.createMany(4, passwordToken: true)
        _ = try store.dispatcher(store.fileTransport()).dispatchDue()
        store.clock.advance(by: 5)
        try store.createMany(3, offset: 10)
        _ = try store.service.changeEmail("DE--2", to: "moved@example.com", withoutVerification: false, reason: nil, metadata: store.metadata)
        store.clock.advance(by: 5)
        try store.create("erased@example.com", passwordToken: true)
        _ = try store.service.forget("erased@example.com", reason: "asked by letter", metadata: store.metadata, then: .leavePending)
        try store.createMany(2, offset: 20)
        return store
    }

    /// Every page of `state` with `limit`, following `nextCursor`.
    private func allPages(_ store: OutboxTestStore, state: String?, limit: Int) throws -> [[OutboxEntry]] {
        var pages: [[OutboxEntry]] = []
        var cursor: String?
        repeat {
            let page = try store.service.outboxPage(OutboxPageQuery(state: state, limit: limit, cursor: cursor))
            pages.append(page.items)
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 100
        return pages
    }

    func testPagesAreTheEntriesNewestFirstForEveryStateAndPageSize() throws {
        let store = try outboxInEveryState()
        let all = try store.entries()
        XCTAssertEqual(Set(all.map(\.state.name)), ["pending", "sent", "dead"])
        XCTAssertEqual(all.filter { $0.kind == .emailChangeNotice }.count, 1, "an email change queues two emails")
        for state in [nil, "pending", "sent", "dead", "failed"] {
            let expected = try store.entries(state)
            for limit in [1, 2, 3, 50] {
                let pages = try allPages(store, state: state, limit: limit)
                let shown = Array(pages.joined())
                XCTAssertEqual(Set(shown.map(\.id)), Set(expected.map(\.id)), "state \(state ?? "any"), limit \(limit)")
                XCTAssertEqual(shown.count, expected.count, "no email twice")
                XCTAssertEqual(shown.map(\.queuedPosition), expected.map(\.queuedPosition).sorted(by: >), "newest first")
                XCTAssertTrue(pages.allSatisfy { $0.count <= limit + 1 }, "at most one more, when one event queued two emails")
                XCTAssertTrue(pages.dropLast().allSatisfy { !$0.isEmpty }, "no empty page before the last")
            }
        }
    }

    /// A page filtered by state reads the state index: however small the budget, it is full or the last one.
    func testAFilteredPageReadsTheStateIndexAndNeverStopsShort() throws {
        let store = try outboxInEveryState()
        var below: UInt64?
        var found: [OutboxEntry] = []
        repeat {
            let page = try store.service.store.read { try store.service.outbox.newestFirst(in: $0, below: below, state: "sent", limit: 2, scanBudget: 1) }
            XCTAssertNil(page.searchedBackTo)
            if page.continueBelow != nil { XCTAssertGreaterThanOrEqual(page.entries.count, 2, "a page before the last is full") }
            found += page.entries
            below = page.continueBelow
        } while below != nil
        XCTAssertEqual(found.map(\.queuedPosition), try store.entries("sent").map(\.queuedPosition).sorted(by: >))
        XCTAssertEqual(Set(found.map(\.id)), Set(try store.entries("sent").map(\.id)))
    }

    /// In a table set written before the state index (emptied here, as an older build left it) a filtered page
    /// walks the log within its budget.
    func testAPageStopsAtItsShareOfTheLogAndTheNextGoesOnFromThere() throws {
        let store = try outboxInEveryState()
        try OutboxStateIndexTests.dropStateIndex(store)
        let dead = try store.entries("dead")
        XCTAssertFalse(dead.isEmpty)
        let head = try store.service.store.headPosition()
        var below: UInt64?
        var found: [OutboxEntry] = []
        var stoppedShort = 0
        repeat {
            let page = try store.service.store.read { try store.service.outbox.newestFirst(in: $0, below: below, state: "sent", limit: 100, scanBudget: 4) }
            found += page.entries
            if let searched = page.searchedBackTo {
                stoppedShort += 1
                XCTAssertNotNil(page.continueBelow)
                XCTAssertLessThanOrEqual(searched, store.clock.now)
            }
            if let next = page.continueBelow { XCTAssertLessThan(next, below ?? head + 1, "always further back") }
            below = page.continueBelow
        } while below != nil
        XCTAssertGreaterThan(stoppedShort, 2, "a budget of 4 events cannot hold the whole log")
        XCTAssertEqual(found.map(\.id), try store.entries("sent").sorted { $0.queuedPosition > $1.queuedPosition }.map(\.id))
    }

    func testACursorBelongsToItsStateFilterAndToThisStore() throws {
        let store = try outboxInEveryState()
        let first = try store.service.outboxPage(OutboxPageQuery(state: "sent", limit: 2))
        let cursor = try XCTUnwrap(first.nextCursor)
        XCTAssertThrowsError(try store.service.outboxPage(OutboxPageQuery(state: "dead", limit: 2, cursor: cursor))) { error in
            XCTAssertEqual((error as? LogCursorError)?.reason, .otherFilter)
        }
        XCTAssertThrowsError(try store.service.outboxPage(OutboxPageQuery(state: "sent", cursor: "garbage"))) { error in
            XCTAssertEqual((error as? LogCursorError)?.reason, .notACursor)
        }
        var altered = Array(cursor)
        altered[3] = altered[3] == "A" ? "B" : "A"
        XCTAssertThrowsError(try store.service.outboxPage(OutboxPageQuery(state: "sent", cursor: String(altered)))) { error in
            XCTAssertEqual((error as? LogCursorError)?.reason, .forged)
        }
        let other = try outboxInEveryState()
        XCTAssertThrowsError(try other.service.outboxPage(OutboxPageQuery(state: "sent", cursor: cursor))) { error in
            XCTAssertEqual((error as? LogCursorError)?.reason, .forged, "another store's key")
        }
        XCTAssertThrowsError(try store.service.statusChangePage(StatusChangeQuery(cursor: cursor))) { error in
            XCTAssertEqual((error as? LogCursorError)?.reason, .forged, "an outbox cursor is no audit cursor")
        }
    }

    func testTheAuditPagesOfOneCustomerAndOfAllFollowTheirCursors() throws {
        let store = try outboxInEveryState()
        let all = try store.service.statusChanges()
        var shown: [StatusChange] = []
        var cursor: String?
        repeat {
            let page = try store.service.statusChangePage(StatusChangeQuery(limit: 3, cursor: cursor))
            shown += page.items
            cursor = page.nextCursor
        } while cursor != nil
        XCTAssertEqual(shown, all.reversed())
        let one = try store.service.statusChangePage(StatusChangeQuery(customer: "DE--2", limit: 1))
        XCTAssertEqual(one.items.map(\.reference?.description), ["DE--2"])
        XCTAssertNil(one.nextCursor, "created and not verified: one change, one page")
        let ofAll = try XCTUnwrap(try store.service.statusChangePage(StatusChangeQuery(limit: 1)).nextCursor)
        XCTAssertThrowsError(try store.service.statusChangePage(StatusChangeQuery(customer: "DE--2", cursor: ofAll))) { error in
            XCTAssertEqual((error as? LogCursorError)?.reason, .otherFilter)
        }
    }
}
