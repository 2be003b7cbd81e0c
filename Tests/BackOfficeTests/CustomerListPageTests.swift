@testable import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import XCTest

/// Customers: the platform's columns, escaping, sort links in both directions, status filter, search, cursor
/// paging, "Add Customer" only for those who may act, and the CSV of the whole filtered list.
final class CustomerListPageTests: XCTestCase {
    func testTheListShowsThePlatformsColumnsAndEscapesWhatCustomersTyped() throws {
        let fixture = try PagesFixture()
        try fixture.createCustomer("o'brien@example.com", first: "Seán", last: "O'Brien & \"Sons\"")
        let page = try fixture.get("/backoffice/customers")
        XCTAssertEqual(page.status, .ok)
        let html = page.html
        XCTAssertTrue(html.contains("<html lang=\"en\">"))
        let headers = ["Reference", "Created", "Email", "Last Name", "First Name", "Status", "Actions"]
        let table = try XCTUnwrap(html.range(of: "<thead>")).lowerBound
        let positions = headers.map { html.range(of: ">\($0)", range: table..<html.endIndex)?.lowerBound }
        XCTAssertFalse(positions.contains(nil), "every column header is shown")
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), "in the platform's order")
        XCTAssertTrue(html.contains("O&#39;Brien &amp; &quot;Sons&quot;"), "the name is escaped")
        XCTAssertFalse(html.contains("\"Sons\""))
        let rows = HTMLFacts.bodyRows(ofTable: "customers", in: html)
        XCTAssertEqual(rows.count, 1)
        XCTAssertTrue(rows[0].hasPrefix("DE--1|"), rows[0])
        XCTAssertTrue(rows[0].contains("|Unverified|"))
        XCTAssertNotNil(HTMLFacts.href(ofId: "add-customer", in: html))
        XCTAssertTrue(html.contains("<span id=\"signed-in\">Signed in as alice (agent).</span>"))
        XCTAssertEqual(try fixture.get("/backoffice").html, html, "sign-in lands on the Customers page")
    }

    func testAColumnHeaderSortsAscendingThenDescendingAndSaysSo() throws {
        let fixture = try PagesFixture()
        for (email, last) in [("b@example.com", "Berg"), ("a@example.com", "Zorn"), ("c@example.com", "Adler")] {
            try fixture.createCustomer(email, last: last)
        }
        let first = try fixture.get("/backoffice/customers")
        let ascendingLink = try XCTUnwrap(HTMLFacts.href(ofId: "sort-last-name", in: first.html))
        XCTAssertEqual(ascendingLink, "/backoffice/customers?sort=last-name")
        // The reference is no sort key (the list's order index holds the creation order): a plain header, no link.
        XCTAssertTrue(first.html.contains("<th scope=\"col\">Reference</th>"), "Reference does not offer a sort")
        let ascending = try fixture.get(ascendingLink)
        XCTAssertEqual(HTMLFacts.bodyRows(ofTable: "customers", in: ascending.html).map { $0.split(separator: "|")[3] }, ["Adler", "Berg", "Zorn"])
        XCTAssertTrue(ascending.html.contains("<th scope=\"col\" aria-sort=\"ascending\"><a href=\"/backoffice/customers?sort=last-name&amp;dir=desc\""))
        let descendingLink = try XCTUnwrap(HTMLFacts.href(ofId: "sort-last-name", in: ascending.html))
        let descending = try fixture.get(descendingLink)
        XCTAssertEqual(HTMLFacts.bodyRows(ofTable: "customers", in: descending.html).map { $0.split(separator: "|")[3] }, ["Zorn", "Berg", "Adler"])
        XCTAssertTrue(descending.html.contains("aria-sort=\"descending\""))
        XCTAssertEqual(HTMLFacts.href(ofId: "sort-last-name", in: descending.html), "/backoffice/customers?sort=last-name",
                       "the sorted-descending header links back to ascending")
    }

    func testStatusFilterAndSearchNarrowTheListAndTheFormKeepsThem() throws {
        let fixture = try PagesFixture()
        try fixture.createCustomer("anna@example.com", first: "Anna", last: "Adler")
        try fixture.createCustomer("bert@example.com", first: "Bert", last: "Brandt", company: "Müller GmbH")
        let searched = try fixture.get("/backoffice/customers?search=muller")
        let rows = HTMLFacts.bodyRows(ofTable: "customers", in: searched.html)
        XCTAssertEqual(rows.count, 1)
        XCTAssertTrue(rows[0].contains("bert@example.com"), "search ignores accents and finds the company")
        XCTAssertTrue(searched.html.contains("id=\"filter-search\" name=\"search\" type=\"search\" value=\"muller\""))
        let verified = try fixture.get("/backoffice/customers?status=verified")
        XCTAssertEqual(HTMLFacts.bodyRows(ofTable: "customers", in: verified.html).first, "No customers match.|")
        XCTAssertTrue(verified.html.contains("<option value=\"verified\" selected>Verified</option>"))
        let unverified = try fixture.get("/backoffice/customers?status=unverified")
        XCTAssertEqual(HTMLFacts.bodyRows(ofTable: "customers", in: unverified.html).count, 2)
    }

    func testPagingFollowsTheCursorToTheLastPageAndBack() throws {
        let fixture = try PagesFixture()
        for index in 1...25 { try fixture.createCustomer("c\(index)@example.com", last: "L\(index)") }
        let first = try fixture.get("/backoffice/customers?sort=email")
        XCTAssertEqual(HTMLFacts.bodyRows(ofTable: "customers", in: first.html).count, 20)
        XCTAssertTrue(first.html.contains("25 customers"))
        XCTAssertNil(HTMLFacts.href(ofId: "first-page", in: first.html), "the first page has no link to itself")
        let next = try XCTUnwrap(HTMLFacts.href(ofId: "next-page", in: first.html))
        XCTAssertTrue(next.hasPrefix("/backoffice/customers?sort=email&amp;cursor="), next)
        let second = try fixture.get(next)
        let rows = HTMLFacts.bodyRows(ofTable: "customers", in: second.html)
        XCTAssertEqual(rows.count, 5)
        XCTAssertNil(HTMLFacts.href(ofId: "next-page", in: second.html), "the last page")
        XCTAssertEqual(HTMLFacts.href(ofId: "first-page", in: second.html), "/backoffice/customers?sort=email")
        let firstEmails = Set(HTMLFacts.bodyRows(ofTable: "customers", in: first.html).map { $0.split(separator: "|")[2] })
        XCTAssertTrue(Set(rows.map { $0.split(separator: "|")[2] }).isDisjoint(with: firstEmails), "no row on both pages")
    }

    func testAnAlteredCursorShowsTheFirstPageAndSaysWhy() throws {
        let fixture = try PagesFixture()
        try fixture.createCustomer("a@example.com")
        let page = try fixture.get("/backoffice/customers?cursor=not-a-cursor")
        XCTAssertEqual(page.status, .badRequest)
        XCTAssertEqual(HTMLFacts.bodyRows(ofTable: "customers", in: page.html).count, 1)
        XCTAssertTrue(page.html.contains("class=\"problem\" role=\"alert\""))
    }

    func testViewersSeeNoAddCustomer() throws {
        let fixture = try PagesFixture()
        let page = try fixture.get("/backoffice/customers", as: .viewer)
        XCTAssertEqual(page.status, .ok)
        XCTAssertNil(HTMLFacts.tag(withId: "add-customer", in: page.html))
        XCTAssertNotNil(HTMLFacts.tag(withId: "download-csv", in: page.html), "viewers read, so they may download")
        XCTAssertEqual(try fixture.get("/backoffice/customers/new", as: .viewer).status, .forbidden)
    }

    func testTheCSVHoldsTheWholeFilteredListInTheListsOrder() throws {
        let fixture = try PagesFixture()
        for index in 1...30 { try fixture.createCustomer("c\(index)@example.com", last: index % 2 == 0 ? "Even\(index)" : "Odd\(index)") }
        try fixture.createCustomer("formula@example.com", last: "=HYPERLINK(1)")
        let page = try fixture.get("/backoffice/customers?search=even&sort=last-name&dir=desc")
        let link = try XCTUnwrap(HTMLFacts.href(ofId: "download-csv", in: page.html))
        XCTAssertEqual(link, "/backoffice/customers.csv?search=even&amp;sort=last-name&amp;dir=desc")
        let response = try fixture.get(link)
        XCTAssertEqual(response.headers["Content-Type"], "text/csv; charset=utf-8")
        XCTAssertEqual(response.headers["Content-Disposition"], "attachment; filename=\"customers.csv\"")
        XCTAssertNotNil(response.stream, "streamed, batch by batch")
        let lines = try csv(fixture, link).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.first, "Reference,Created,Email,Last Name,First Name,Status")
        XCTAssertEqual(lines.count, 16, "every one of the 15 matches, not one page")
        let lastNames = lines.dropFirst().map { String($0.split(separator: ",")[3]) }
        XCTAssertEqual(lastNames, lastNames.sorted(by: >))
        let all = try csv(fixture, "/backoffice/customers.csv")
        XCTAssertTrue(all.contains(",'=HYPERLINK(1),"), "a formula is defused as in `list --format csv`")
        XCTAssertEqual(all.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 32)
        var chunks = 0
        try fixture.pages.writeCSV(CustomerListRequest(URLEncodedForm())) { _ in chunks += 1; return false }
        XCTAssertEqual(chunks, 1, "a download whose client has gone stops after the failed write")
    }

    /// What the streamed download writes for `link`.
    private func csv(_ fixture: PagesFixture, _ link: String) throws -> String {
        let query = String(link.replacingOccurrences(of: "&amp;", with: "&").split(separator: "?", maxSplits: 1).dropFirst().first ?? "")
        var bytes: [UInt8] = []
        try fixture.pages.writeCSV(CustomerListRequest(try URLEncodedForm(parsing: Array(query.utf8)[...], what: "query"))) { bytes += $0; return true }
        return String(decoding: bytes, as: UTF8.self)
    }
}
