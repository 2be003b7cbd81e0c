@testable import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import XCTest

/// Audit and Outbox a page at a time on a real store: "Older" goes on where the page ended and keeps the filter
/// in its URL, "Newest" goes back, the pages together show every row once, and a stale or altered cursor shows
/// the newest page with why (400).
final class LogPagesPagingTests: XCTestCase {
    /// `count` customers created in one transaction (`pagedN@example.com`), each with its verification email.
    private func createMany(_ fixture: PagesFixture, _ count: Int) throws {
        let forms = (0..<count).map { index in
            (form: CustomerForm(email: "paged\(index)@example.com", salutation: "Mr", firstName: "Max", lastName: "Paged\(index)"), sendPasswordToken: false)
        }
        for result in try fixture.service.createMany(forms, metadata: CommandMetadata(actor: "bulk")) { _ = try result.get() }
    }

    /// The rows of every page from `link` on, following "Older"; and the links seen on the way.
    private func followOlder(_ fixture: PagesFixture, from link: String, table: String) throws -> (rows: [[String]], olderLinks: [String]) {
        var rows: [[String]] = []
        var links: [String] = []
        var next: String? = link
        while let current = next, rows.count < 20 {
            let page = try fixture.get(current, as: .viewer)
            XCTAssertEqual(page.status, .ok, current)
            rows.append(HTMLFacts.bodyRows(ofTable: table, in: page.html))
            next = HTMLFacts.href(ofId: "older-page", in: page.html)
            if let next {
                links.append(next)
                XCTAssertEqual(HTMLFacts.href(ofId: "newest-page", in: try fixture.get(next, as: .viewer).html), String(link), "Newest goes back to the filtered start")
            }
        }
        return (rows, links)
    }

    func testTheAuditPagesByCursorKeepingTheFilterAndShowsEveryChangeOnce() throws {
        let fixture = try PagesFixture()
        let pageSize = StatusChangeQuery.defaultLimit
        try createMany(fixture, pageSize + 7)
        let first = try fixture.get("/backoffice/audit", as: .viewer)
        XCTAssertNil(HTMLFacts.href(ofId: "newest-page", in: first.html), "the newest page links to no newer one")
        let (pages, links) = try followOlder(fixture, from: "/backoffice/audit?since=2000-01-01", table: "audit")
        XCTAssertEqual(pages.map(\.count), [pageSize, 7])
        XCTAssertTrue(links.allSatisfy { $0.contains("since=2000-01-01") && $0.contains("cursor=") }, "\(links)")
        let references = pages.joined().map { $0.split(separator: "|")[1] }
        XCTAssertEqual(references, (1...(pageSize + 7)).reversed().map { "DE--\($0)"[...] }, "newest first, each change once")
    }

    func testAnAuditCursorOfAnotherFilterOrAlteredShowsTheNewestPageWithWhy() throws {
        let fixture = try PagesFixture()
        try createMany(fixture, StatusChangeQuery.defaultLimit + 1)
        let older = try XCTUnwrap(HTMLFacts.href(ofId: "older-page", in: try fixture.get("/backoffice/audit").html))
        let cursor = try XCTUnwrap(older.components(separatedBy: "cursor=").last)
        let otherFilter = try fixture.get("/backoffice/audit?since=2000-01-01&cursor=\(cursor)")
        XCTAssertEqual(otherFilter.status, .badRequest)
        XCTAssertTrue(otherFilter.html.contains("This page link belongs to another filter; here is the newest page of this one."), otherFilter.html)
        XCTAssertEqual(HTMLFacts.bodyRows(ofTable: "audit", in: otherFilter.html).first?.split(separator: "|")[1], "DE--\(StatusChangeQuery.defaultLimit + 1)")
        var characters = Array(cursor)
        characters[20] = characters[20] == "A" ? "B" : "A"  // inside the MAC
        let altered = try fixture.get("/backoffice/audit?cursor=\(String(characters))", texts: .german)
        XCTAssertEqual(altered.status, .badRequest)
        XCTAssertTrue(altered.html.contains("Dieser Seitenlink wurde verändert oder stammt von einem anderen Shop; hier ist die neueste Seite."), altered.html)
        XCTAssertEqual(try fixture.get("/backoffice/audit?cursor=nope").status, .badRequest)
    }

    func testTheOutboxPagesByCursorKeepingTheStateAndShowsEveryEmailOnce() throws {
        let fixture = try PagesFixture()
        let pageSize = OutboxPageQuery.defaultLimit
        try createMany(fixture, pageSize + 3)
        let (pages, links) = try followOlder(fixture, from: "/backoffice/outbox?state=pending", table: "outbox")
        XCTAssertEqual(pages.map(\.count), [pageSize, 3])
        XCTAssertTrue(links.allSatisfy { $0.contains("state=pending") && $0.contains("cursor=") }, "\(links)")
        let recipients = pages.joined().map { String($0.split(separator: "|")[3]) }
        XCTAssertEqual(recipients, (0..<(pageSize + 3)).reversed().map { "paged\($0)@example.com" }, "newest first, each email once")

        let cursor = try XCTUnwrap(links.first?.components(separatedBy: "cursor=").last)
        let otherState = try fixture.get("/backoffice/outbox?state=sent&cursor=\(cursor)")
        XCTAssertEqual(otherState.status, .badRequest)
        XCTAssertTrue(otherState.html.contains("This page link belongs to another filter"), otherState.html)
        XCTAssertEqual(try fixture.get("/backoffice/outbox?cursor=\(cursor.dropLast(2))").status, .badRequest)
        XCTAssertNil(HTMLFacts.tag(withId: "retry-all", in: try fixture.get("/backoffice/outbox?state=pending").html), "no dead email in view")
        XCTAssertNotNil(HTMLFacts.tag(withId: "retry-all", in: try fixture.get("/backoffice/outbox?state=dead").html))
    }
}

/// An erased customer's row on the Customers page says so, in the page's language, instead of blank cells.
final class ErasedCustomerRowTests: XCTestCase {
    func testAnErasedCustomersRowSaysErasedCustomerInBothLanguages() throws {
        let fixture = try PagesFixture()
        let erased = try fixture.createCustomer("gone@example.com", first: "Gone", last: "Away")
        try fixture.createCustomer("kept@example.com", first: "Kept", last: "Here")
        _ = try fixture.service.forget(erased, reason: "asked by letter", metadata: CommandMetadata(actor: "alice"), then: .leavePending)
        let english = HTMLFacts.bodyRows(ofTable: "customers", in: try fixture.get("/backoffice/customers").html)
        let row = try XCTUnwrap(english.first { $0.hasPrefix(erased + "|") }, "\(english)")
        XCTAssertEqual(Array(row.split(separator: "|").dropFirst(2).prefix(4)), ["erased customer", "—", "—", "Unverified"])
        XCTAssertTrue(english.contains { $0.contains("|kept@example.com|Here|Kept|") }, "\(english)")
        let german = HTMLFacts.bodyRows(ofTable: "customers", in: try fixture.get("/backoffice/customers", texts: .german).html)
        XCTAssertTrue(german.contains { $0.hasPrefix(erased + "|") && $0.contains("|gelöschter Kunde|—|—|") }, "\(german)")
        var body: [UInt8] = []
        try fixture.pages.writeCSV(CustomerListRequest(URLEncodedForm())) { body += $0; return true }
        XCTAssertFalse(String(decoding: body, as: UTF8.self).contains("erased customer"), "the download holds data, not the placeholder")
    }
}
