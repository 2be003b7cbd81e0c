import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import XCTest

/// Add Customer: the platform's fields with a label each, choices from the domain's lists, broken rules beside
/// their fields with the typed values kept, the redirect with the flash, one customer for a double submit, and
/// the operator recorded as the actor.
final class NewCustomerPageTests: XCTestCase {
    func testTheFormHasEveryFieldWithALabelAndTheDomainsChoices() throws {
        let fixture = try PagesFixture()
        let html = try fixture.get("/backoffice/customers/new").html
        let ids = HTMLFacts.controlIds(html)
        XCTAssertEqual(ids, [
            "customer-email", "customer-salutation", "customer-first-name", "customer-last-name", "customer-gender",
            "customer-date-of-birth", "customer-phone", "customer-company", "customer-locale", "customer-send-password-token",
        ])
        for id in ids { XCTAssertTrue(html.contains("<label for=\"\(id)\""), "a label for \(id)") }
        for salutation in Salutation.allCases { XCTAssertTrue(html.contains("<option value=\"\(salutation.rawValue)\">")) }
        for gender in Gender.allCases { XCTAssertTrue(html.contains("<option value=\"\(gender.rawValue)\">")) }
        for locale in ["en_US", "de_DE"] { XCTAssertTrue(html.contains("<option value=\"\(locale)\">")) }
        XCTAssertTrue(html.contains("type=\"date\""))
        XCTAssertTrue(html.contains("name=\"_csrf\" value=\"\(PagesFixture.csrf)\""))
        XCTAssertNotNil(html.range(of: #"name="_request" value="[0-9a-f-]{36}""#, options: .regularExpression))
    }

    func testThreeBrokenFieldsAreShownBesideTheirFieldsAndTheTypedValuesKept() throws {
        let fixture = try PagesFixture()
        let response = try fixture.post("/backoffice/customers/new", [
            ("_request", "r1"), ("email", "not-an-address"), ("salutation", "Mr"), ("first-name", "Max<"), ("last-name", "Muster"),
            ("date-of-birth", "1850-01-01"), ("company", "O'Neil & Co"),
        ])
        XCTAssertEqual(response.status, .unprocessableContent)
        let html = response.html
        for id in ["customer-email", "customer-first-name", "customer-date-of-birth"] {
            let tag = try XCTUnwrap(HTMLFacts.tag(withId: id, in: html))
            XCTAssertTrue(tag.contains("aria-invalid=\"true\" aria-describedby=\"\(id)-problems\""), tag)
            let problems = try XCTUnwrap(html.range(of: "<ul id=\"\(id)-problems\" class=\"problem\">"), "problems of \(id)")
            let control = try XCTUnwrap(html.range(of: tag))
            XCTAssertLessThanOrEqual(control.upperBound, problems.lowerBound, "right after its field")
            let between = html[control.upperBound..<problems.lowerBound]
            XCTAssertFalse(between.contains("<input") || between.contains("<select"), "nothing in between")
        }
        XCTAssertTrue(html.contains("Email is not a valid address"))
        XCTAssertTrue(html.contains("First name must not contain any of : / &lt; &gt;"))
        XCTAssertTrue(html.contains("Date of birth"))
        XCTAssertNil(HTMLFacts.tag(withId: "customer-last-name", in: html)?.range(of: "aria-invalid"), "a good field is not marked")
        XCTAssertTrue(html.contains("value=\"not-an-address\""))
        XCTAssertTrue(html.contains("value=\"Max&lt;\""))
        XCTAssertTrue(html.contains("value=\"O&#39;Neil &amp; Co\""))
        XCTAssertTrue(html.contains("<option value=\"Mr\" selected>"))
        XCTAssertTrue(html.contains("name=\"_request\" value=\"r1\""), "the same request id, so a resend still creates one")
        XCTAssertEqual(try fixture.service.listPage(CustomerListQuery()).total, 0, "nothing written")
    }

    func testSaveRedirectsToCustomersWithTheFlashAndTheNewCustomerFirst() throws {
        let fixture = try PagesFixture()
        try fixture.createCustomer("old@example.com")
        let fields = [
            ("_request", "form-1"), ("email", "max@example.com"), ("salutation", "Mr"), ("first-name", "Max"),
            ("last-name", "Mustermann"), ("gender", "Male"), ("date-of-birth", "1980-05-17"), ("phone", "+49 30 1234567"),
            ("company", "ACME"), ("locale", "de_DE"), ("send-password-token", "on"),
        ]
        let saved = try fixture.post("/backoffice/customers/new", fields)
        XCTAssertEqual(saved.status, .seeOther)
        let location = try XCTUnwrap(saved.location)
        XCTAssertEqual(location, "/backoffice/customers?sort=created&dir=desc&done=created")
        let list = try fixture.get(location)
        XCTAssertTrue(list.html.contains("<p id=\"flash\" class=\"flash\" role=\"status\">Customer was created successfully.</p>"))
        XCTAssertTrue(HTMLFacts.bodyRows(ofTable: "customers", in: list.html).first?.contains("max@example.com") == true)

        let again = try fixture.post("/backoffice/customers/new", fields)
        XCTAssertEqual(again.location, location, "the second post of the same form answers as the first")
        XCTAssertEqual(try fixture.service.listPage(CustomerListQuery()).total, 2, "one customer created, not two")

        let (_, state, _) = try fixture.service.customer("max@example.com")
        XCTAssertEqual(state.profile?.gender, .male)
        XCTAssertEqual(state.profile?.locale, "de_DE")
        XCTAssertNotNil(state.passwordToken, "the checkbox sent a password token")
        XCTAssertEqual(try fixture.service.history(of: "max@example.com").first?.actor, "operator:alice", "the signed-in operator is the actor")
    }

    func testAnEmailAlreadyUsedIsShownBesideTheEmail() throws {
        let fixture = try PagesFixture()
        try fixture.createCustomer("taken@example.com")
        let response = try fixture.post("/backoffice/customers/new", [
            ("email", "TAKEN@example.com"), ("salutation", "Ms"), ("first-name", "A"), ("last-name", "B"),
        ])
        XCTAssertEqual(response.status, .unprocessableContent)
        XCTAssertTrue(response.html.contains("<ul id=\"customer-email-problems\" class=\"problem\"><li>Email is already used</li></ul>"))
    }

    func testAViewersPostAndAPostWithoutTheSessionsTokenAreRefusedAndWriteNothing() throws {
        let fixture = try PagesFixture()
        let fields = [("email", "a@example.com"), ("salutation", "Ms"), ("first-name", "A"), ("last-name", "B")]
        XCTAssertEqual(try fixture.post("/backoffice/customers/new", fields, as: .viewer).status, .forbidden)
        XCTAssertEqual(try fixture.post("/backoffice/customers/new", fields, csrf: nil).status, .forbidden)
        XCTAssertEqual(try fixture.post("/backoffice/customers/new", fields, csrf: "another-sessions-token").status, .forbidden)
        XCTAssertEqual(try fixture.service.listPage(CustomerListQuery()).total, 0)
    }

    func testTheGermanPageSpeaksGerman() throws {
        let fixture = try PagesFixture()
        let html = try fixture.get("/backoffice/customers/new", texts: .german).html
        XCTAssertTrue(html.contains("<html lang=\"de\">"))
        XCTAssertTrue(html.contains(">Vorname</span></label>"))
        XCTAssertTrue(html.contains("Passwort-Token per E-Mail senden"))
        XCTAssertTrue(html.contains(">Speichern</button>"))
    }
}
