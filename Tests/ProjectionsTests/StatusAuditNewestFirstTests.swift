import CustomerAggregate
import EventStore
import Foundation
import Projections
import XCTest

/// The audit a page at a time, newest first, walking the log backwards (`StatusAudit.newestFirst`): every page
/// size and every time window gives exactly the forward audit's changes, reversed, with no change repeated or
/// left out at a page boundary — including an import's creation merged with its verification, which a boundary
/// can fall right between.
final class StatusAuditNewestFirstTests: XCTestCase {
    func testPagesWalkedBackwardsAreTheForwardAuditReversedForEveryPageSizeAndWindow() throws {
        let fixture = try CustomerFixture()
        var instants: [Date] = []
        var created: [CustomerID] = []
        for index in 0..<6 {
            instants.append(fixture.clock.now)
            created.append(try fixture.create(CustomerFixture.form("First\(index)", "Last\(index)", "c\(index)@example.com"), actor: "agent\(index)"))
            fixture.clock.advance(10)
            if index % 2 == 0 {
                try fixture.importCustomer(
                    CustomerFixture.form("Old\(index)", "Timer", "old\(index)@example.com"), registeredOn: CalendarDate(year: 2019, month: 5, day: 1))
                try fixture.importCustomer(CustomerFixture.form("New\(index)", "Comer", "new\(index)@example.com"), registeredOn: nil)
            }
            try fixture.appendUnrelatedEvents()
            fixture.clock.advance(10)
        }
        try fixture.verify([created[0], created[3]], actor: "customer")
        fixture.clock.advance(10)
        try fixture.changeEmail(created[1], to: "moved@example.com")
        try fixture.confirmEmailChange(created[1])  // verifies an Unverified customer
        instants.append(fixture.clock.now)
        try fixture.verify(created[5], actor: "late")

        let forward = try fixture.store.read { try StatusAudit.changes(in: $0) }
        XCTAssertEqual(forward.filter { $0.from == nil && $0.to == .verified }.count, 3, "the three registered imports merge")
        XCTAssertEqual(forward.filter { $0.from == .unverified }.count, 4)
        let windows: [(Date?, Date?)] = [(nil, nil), (instants[2], nil), (nil, instants[4]), (instants[1], instants[5]), (instants[6], nil)]
        for (since, until) in windows {
            let expected = try fixture.store.read { try StatusAudit.changes(in: $0, since: since, until: until) }
            for limit in [1, 2, 3, 5, 100] {
                var pages: [[StatusChange]] = []
                var below: UInt64?
                repeat {
                    let page = try fixture.store.read { try StatusAudit.newestFirst(in: $0, below: below, since: since, until: until, limit: limit) }
                    XCTAssertLessThanOrEqual(page.changes.count, limit)
                    pages.append(page.changes)
                    below = page.hasOlder ? page.changes.last?.causePosition : nil
                    XCTAssertFalse(page.hasOlder && page.changes.isEmpty, "an older page is never announced by an empty one")
                } while below != nil && pages.count < 100
                XCTAssertEqual(Array(pages.joined()), Array(expected.reversed()), "window \(String(describing: since))–\(String(describing: until)), limit \(limit)")
                XCTAssertEqual(pages.count, max(1, (expected.count + limit - 1) / limit), "no empty last page")
            }
        }
    }
}
