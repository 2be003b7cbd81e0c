import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Mail
import Projections
import TestSupport
import XCTest

/// A dispatcher checks, right before each email is handed over, that it still holds the email's lease.
final class OutboxLeaseTests: XCTestCase {
    func testADispatcherThatLostItsLeasesSendsNothingAndLeavesTheEmailsToTheHolder() throws {
        let store = try OutboxTestStore()
        try store.createMany(3)
        let paused = try store.dispatcher(store.fileTransport("paused"), id: "paused")
        let claimed = try paused.claim(now: store.clock.now, maximum: 100)
        XCTAssertEqual(claimed.count, 3)

        store.clock.advance(by: 61)  // "paused" was stopped past its 60 s lease
        let other = try store.dispatcher(store.fileTransport("other"), id: "other")
        XCTAssertEqual(try other.dispatchDue().sent, 3, "the other dispatcher takes the expired leases over")

        let resumed = try paused.deliver(claimed)
        XCTAssertEqual(resumed.deliveries.count, 0)
        XCTAssertEqual(resumed.stop, .leaseLost)
        XCTAssertEqual(store.files(in: "paused").eml, [], "nothing is sent a second time")
        try paused.record(resumed.deliveries, releasing: claimed.map(\.id))
        for entry in try store.entries() {
            XCTAssertEqual(try store.outcomes(of: entry.id).count, 1, "one outcome per email")
        }
    }

    func testTheLeaseIsRenewedAsTheDispatcherGoesSoNoOneElseTakesTheEmail() throws {
        let store = try OutboxTestStore()
        try store.createMany(2)
        let slow = try store.dispatcher(store.fileTransport("slow"), id: "slow")
        let claimed = try slow.claim(now: store.clock.now, maximum: 100)
        store.clock.advance(by: 40)  // less than half of the 60 s lease is left: the check renews it
        XCTAssertTrue(try slow.holdsLease(of: claimed[0].id, renewing: claimed.map(\.id), for: 60))
        store.clock.advance(by: 30)  // 70 s after the claim, 30 s after the renewal
        let other = try store.dispatcher(store.fileTransport("other"), id: "other")
        XCTAssertEqual(try other.claim(now: store.clock.now, maximum: 100).count, 0, "both leases were renewed")
        let result = try slow.deliver(claimed)
        XCTAssertNil(result.stop)
        XCTAssertEqual(result.deliveries.count, 2)
        XCTAssertEqual(store.files(in: "slow").eml.count, 2)
    }

    func testTheLeaseDurationIsAStoreSetting() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        _ = try store.service.changeSetting("delivery-lease", to: "5s", metadata: store.metadata)
        let crashed = try store.dispatcher(store.fileTransport("crashed"), id: "crashed")
        _ = try crashed.claim(now: store.clock.now, maximum: 100)
        let survivor = try store.dispatcher(store.fileTransport("survivor"), id: "survivor")
        store.clock.advance(by: 4)
        XCTAssertEqual(try survivor.dispatchDue().processed, 0)
        store.clock.advance(by: 1)
        XCTAssertEqual(try survivor.dispatchDue().sent, 1, "the 5 s lease expired")
    }
}
