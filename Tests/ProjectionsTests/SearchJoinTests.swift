import CustomerAggregate
import Foundation
@testable import Projections
import XCTest

/// Search over lists of many blocks: a short list joined with long ones (only the long lists' blocks that can
/// hold a candidate are decoded), and 1–2 character unions decoded straight into the match set.
final class SearchJoinTests: XCTestCase {
    func testJoinsOfShortAndLongListsAndShortUnionsMatchTheOracle() throws {
        let fixture = try CustomerListTests.populated(count: 2500, seed: 31)
        // A rare customer among thousands: its rare trigrams meet the long lists of the common ones.
        try fixture.create(CustomerFixture.form("Quirinus", "Smithfield", "quirinus.smithfield@example.com"))
        // The same trigram twice in a query ("xyz" at 0 and 3): only the customer with them 3 apart matches.
        try fixture.create(CustomerFixture.form("Xyzxyz", "Repeat", "xyz.repeat@example.com"))
        try fixture.create(CustomerFixture.form("Xyzqxyz", "Apart", "xyz.apart@example.com"))
        let oracle = try ListOracle(store: fixture.store)
        let searches = ["e", "a", "q", "an", "mi", "smi", "smith", "smithf", "quirinus.smith", "irinus", "@example.com",
                        "example.c", "ann-m", "zz", "ørst", "straße", "strasse", "de--24", "de--2499", "xyzxyz", "xyzqxyz", "xyzxy", "zxyz"]
        for search in searches {
            for status in [nil, CustomerStatus.verified] {
                let query = CustomerListQuery(status: status, search: search, limit: 50)
                let expected = oracle.matches(query)
                let page = try fixture.page(query)
                XCTAssertEqual(page.total, expected.count, "total of \(search) \(String(describing: status))")
                XCTAssertEqual(page.items, Array(expected.prefix(50)), "rows of \(search) \(String(describing: status))")
            }
        }
        XCTAssertEqual(try fixture.page(CustomerListQuery(search: "quirinus.smith")).total, 1)
        XCTAssertEqual(try fixture.page(CustomerListQuery(search: "xyzxyz")).total, 1, "a repeated trigram 3 apart, not anywhere")
        XCTAssertGreaterThan(try fixture.page(CustomerListQuery(search: "e")).total, 2000, "a one-letter union over many blocks")
    }
}
