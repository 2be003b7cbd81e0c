import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import XCTest

/// Audit, Outbox and Settings; the navigation by role.
final class AdminPagesTests: XCTestCase {
    func testTheAuditListsStatusChangesWithActorsAndFilters() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        try fixture.createCustomer("bert@example.com")
        let all = try fixture.get("/backoffice/audit", as: .viewer)
        XCTAssertEqual(all.status, .ok)
        let rows = HTMLFacts.bodyRows(ofTable: "audit", in: all.html)
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows.allSatisfy { $0.contains("|Unverified|") && $0.hasSuffix("|test|") }, "\(rows)")
        let one = try fixture.get("/backoffice/audit?customer=\(reference)")
        XCTAssertEqual(HTMLFacts.bodyRows(ofTable: "audit", in: one.html).count, 1)
        XCTAssertTrue(try fixture.get("/backoffice/audit?since=2999-01-01").html.contains("No status changes match."))
        let bad = try fixture.get("/backoffice/audit?since=soon")
        XCTAssertEqual(bad.status, .badRequest)
        XCTAssertTrue(bad.html.contains("aria-describedby=\"audit-since-problems\""))
    }

    func testTheOutboxListsEmailsByStateAndViewersCannotRetry() throws {
        let fixture = try PagesFixture()
        try fixture.createCustomer("anna@example.com")
        let page = try fixture.get("/backoffice/outbox?state=pending", as: .viewer)
        let rows = HTMLFacts.bodyRows(ofTable: "outbox", in: page.html)
        XCTAssertEqual(rows.count, 1)
        XCTAssertTrue(rows[0].contains("|verification|anna@example.com|pending|0|"), rows[0])
        XCTAssertTrue(try fixture.get("/backoffice/outbox?state=dead").html.contains("No emails match."))
        XCTAssertEqual(try fixture.post("/backoffice/outbox/retry", [("all", "dead")], as: .viewer).status, .forbidden)
        let none = try fixture.post("/backoffice/outbox/retry", [("all", "dead")])
        XCTAssertEqual(none.location, "/backoffice/outbox?done=retried")
    }

    func testSettingsAreForAdminsOnlyAndAChangeGoesThroughTheSettingsRules() throws {
        let fixture = try PagesFixture()
        XCTAssertEqual(try fixture.get("/backoffice/settings", as: .agent).status, .forbidden)
        XCTAssertEqual(try fixture.post("/backoffice/settings", [("key", "reference-prefix"), ("value", "AT")], as: .agent).status, .forbidden)
        XCTAssertFalse(try fixture.get("/backoffice/customers", as: .agent).html.contains("/backoffice/settings"), "no link for agents")
        let page = try fixture.get("/backoffice/settings", as: .admin)
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.html.contains("<th scope=\"row\">reference-prefix</th><td>DE</td>"))
        let refused = try fixture.post("/backoffice/settings", [("key", "reference-prefix"), ("value", "no spaces!")], as: .admin)
        XCTAssertEqual(refused.status, .unprocessableContent)
        XCTAssertTrue(refused.html.contains("aria-describedby=\"setting-value-problems\""))
        XCTAssertEqual(try fixture.service.settings().referencePrefix, "DE")
        let changed = try fixture.post("/backoffice/settings", [("key", "reference-prefix"), ("value", "AT")], as: .admin)
        XCTAssertEqual(changed.location, "/backoffice/settings?done=setting-changed")
        XCTAssertEqual(try fixture.service.settings().referencePrefix, "AT")
    }

    func testEveryPageHasALanguageAndALabelForEveryControl() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        for path in ["/backoffice/customers", "/backoffice/customers/new", "/backoffice/customers/\(reference)",
                     "/backoffice/customers/\(reference)/edit", "/backoffice/customers/\(reference)/address",
                     "/backoffice/audit", "/backoffice/outbox", "/backoffice/settings", "/backoffice/operators"] {
            for texts in [BackOfficeTexts.english, .german] {
                let html = try fixture.get(path, as: .admin, texts: texts).html
                XCTAssertTrue(html.contains("<html lang=\"\(texts.language)\">"), path)
                for id in HTMLFacts.controlIds(html) { XCTAssertTrue(html.contains("<label for=\"\(id)\""), "\(path): a label for \(id)") }
                XCTAssertTrue(html.contains("name=\"_csrf\" value=\"\(PagesFixture.csrf)\""), "\(path): the sign-out form carries the token")
            }
        }
        XCTAssertNil(try fixture.pages.respond(to: HTTPRequest(method: .get, path: "/backoffice/nothing-here"), context: PagesFixture.context(.admin)))
    }
}

final class BackOfficeTextsTests: XCTestCase {
    func testTheBrowsersLanguageChoosesTheTextsElseTheStoresDefault() {
        XCTAssertEqual(BackOfficeTexts.preferred(acceptLanguage: "de-DE,de;q=0.9,en;q=0.8", fallback: "en_US").identifier, "de_DE")
        XCTAssertEqual(BackOfficeTexts.preferred(acceptLanguage: "fr-FR, en;q=0.5, de;q=0.7", fallback: "en_US").identifier, "de_DE", "by weight")
        XCTAssertEqual(BackOfficeTexts.preferred(acceptLanguage: "de;q=0, en", fallback: "de_DE").identifier, "en_US", "q=0 means not wanted")
        XCTAssertEqual(BackOfficeTexts.preferred(acceptLanguage: "fr", fallback: "de_DE").identifier, "de_DE")
        XCTAssertEqual(BackOfficeTexts.preferred(acceptLanguage: nil, fallback: "xx_YY").identifier, "en_US")
    }
}
