import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import XCTest

/// Forget: a confirmation page with a reason, refused without one, then the customer's data is gone from the
/// pages while the reference and history stay; viewers cannot.
final class ForgetPageTests: XCTestCase {
    func testForgettingNeedsAConfirmationWithAReasonAndErasesThePersonalData() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com", first: "Anna", last: "Adler")
        let view = try fixture.get("/backoffice/customers/\(reference)").html
        XCTAssertEqual(HTMLFacts.href(ofId: "forget-customer", in: view), "/backoffice/customers/\(reference)/forget")
        let confirmation = try fixture.get("/backoffice/customers/\(reference)/forget")
        XCTAssertEqual(confirmation.status, .ok)
        XCTAssertTrue(confirmation.html.contains("<label for=\"forget-reason\""))
        XCTAssertEqual(try fixture.get("/backoffice/customers/\(reference)/forget", as: .viewer).status, .forbidden)
        XCTAssertEqual(try fixture.post("/backoffice/customers/\(reference)/forget", [("reason", "asked")], as: .viewer).status, .forbidden)

        let noReason = try fixture.post("/backoffice/customers/\(reference)/forget", [("reason", " ")])
        XCTAssertEqual(noReason.status, .unprocessableContent)
        XCTAssertTrue(noReason.html.contains("aria-describedby=\"forget-reason-problems\""))
        XCTAssertEqual(try fixture.service.customer(reference).1.erasedAt, nil, "nothing written")

        let forgotten = try fixture.post("/backoffice/customers/\(reference)/forget", [("reason", "GDPR request of 1 Dec")])
        XCTAssertEqual(forgotten.location, "/backoffice/customers?done=forgotten")
        let list = try fixture.get(forgotten.location!).html
        XCTAssertTrue(list.contains("The customer was forgotten."))
        XCTAssertFalse(list.contains("anna@example.com"))
        let after = try fixture.get("/backoffice/customers/\(reference)")
        XCTAssertFalse(after.html.contains("anna@example.com"), "no personal data on the customer page")
        XCTAssertFalse(after.html.contains("Adler"))
        XCTAssertEqual(after.status, .ok, "the reference and the history stay")
        XCTAssertNil(HTMLFacts.tag(withId: "actions", in: after.html), "nothing left to act on")
        XCTAssertTrue(HTMLFacts.bodyRows(ofTable: "history", in: after.html).first?.contains("|operator:alice|") == true)
        XCTAssertNotNil(try fixture.service.customer(reference).1.erasedAt)
        XCTAssertEqual(try fixture.service.history(of: reference).last?.actor, "operator:alice")
    }
}
