import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Projections
import XCTest

final class CustomerViewTests: XCTestCase {
    /// `show` replays the customer's stream: an event it cannot decode must stop it with the position, not be
    /// left out (which would show a customer the log does not describe).
    func testShowRefusesAnEventOfTheCustomerItCannotDecode() throws {
        let store = try OutboxTestStore()
        try store.create("zoe@example.com")
        let id = try store.service.store.read { try store.service.resolve("DE--1", in: $0) }
        let appended = try store.service.store.append(
            [EventData(type: "CustomerRenamed", metadata: EventMetadata(actor: "newer"), payload: [7])],
            to: try StreamName(id.streamName), expectedVersion: .any)
        XCTAssertThrowsError(try store.service.customerView("DE--1")) { error in
            XCTAssertTrue("\(error)".contains("CustomerRenamed at position \(appended.lastPosition)"), "\(error)")
        }
    }
}
