import CustomerAggregate
import Foundation
@testable import Projections
import XCTest

/// Searched pages whose matches are placed from their rows (`RowPlaceWriter`, `PlaceSelection`) or found by a
/// walk of the whole range: sparse matches, matches bunched so far along the order that the walk of the order
/// index runs over its budget, and names beyond U+02FF, which take the `String` folding. Each is compared with the oracle.
final class SearchPlaceSelectionTests: XCTestCase {
    /// Matches all at the end of the email, first- and last-name orders (and, created last, of the created
    /// order), each status range judged on its own (every third customer is Verified). In the Unverified range:
    /// 600 matches behind 16 000 others, more than the walk's budget allows for them, but few enough that a walk
    /// of the whole range costs less than placing the matches, so the range is walked to them.
    func testMatchesBunchedBeyondTheWalkBudgetAreFoundByAWalkOfTheWholeRange() throws {
        let (bunch, others) = (900, 24_000)
        let (unverifiedMatches, unverifiedOthers) = (bunch * 2 / 3, others * 2 / 3)
        XCTAssertGreaterThan(unverifiedOthers, CustomerListView.searchWalkBudget(matches: unverifiedMatches))
        XCTAssertTrue(CustomerListView.searchWalksWholeRange(scope: unverifiedOthers + unverifiedMatches, matches: unverifiedMatches))
        try checkBunchedMatches(bunch: bunch, others: others)
    }

    /// More than 512 matches in all (fewer in each status range), behind more non-matching customers than the
    /// walk's budget allows for them: they are placed from their rows.
    func testMatchesBunchedBeyondTheWalkBudgetArePlacedFromTheirRows() throws {
        let bunch = 600
        let others = CustomerListView.searchWalkBudget(matches: bunch) + 500
        XCTAssertFalse(CustomerListView.searchWalksWholeRange(scope: (others + bunch) * 2 / 3, matches: bunch * 2 / 3))
        try checkBunchedMatches(bunch: bunch, others: others)
    }

    /// `bunch` customers matching "zyq" created after `others` that do not; every third customer verified. Every
    /// sort, direction and status filter pages like the oracle.
    private func checkBunchedMatches(bunch: Int, others: Int) throws {
        let fixture = try CustomerFixture()
        let firstNames = ["Anna", "Bert", "Carla", "Dora"]
        let lastNames = ["Ahrens", "Brandt", "Cordes", "Dietz"]
        let plain = (0..<others).map { index in
            CustomerFixture.form(firstNames[index % 4], lastNames[index / 4 % 4], "a\(index)@example.com")
        }
        let bunched = (0..<bunch).map { index in
            CustomerFixture.form(index % 2 == 0 ? "Zyqa" : "Zyqä", "Zyqborn\(index % 7)", "zyq\(index)@example.com")
        }
        let ids = try fixture.create(plain, batch: 1000) + (try fixture.create(bunched, batch: 1000))
        try fixture.verify(ids.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        let oracle = try ListOracle(store: fixture.store)
        for sort in CustomerListSort.allCases {
            for descending in [false, true] {
                for status in [nil, CustomerStatus.verified] {
                    let query = CustomerListQuery(status: status, search: "zyq", sort: sort, descending: descending, limit: 250)
                    let expected = oracle.matches(query)
                    XCTAssertGreaterThan(expected.count, status == nil ? 512 : 150)
                    let paged = try fixture.allPages(query)
                    let label = "\(sort) desc=\(descending) status=\(String(describing: status))"
                    XCTAssertEqual(paged.rows.map(\.creationSequence), expected.map(\.creationSequence), label)
                    XCTAssertEqual(paged.totals, [expected.count], label)
                }
            }
        }
    }

    /// Sparse matches whose names need the general folding (Greek, CJK, a dotted capital I, a ligature), mixed
    /// with Latin ones, in every name order and both directions, paged through cursors.
    func testNamesBeyondLatinArePlacedLikeTheOrderIndexPlacesThem() throws {
        let fixture = try CustomerFixture()
        let names = [("Σοφία", "Ἀλεξίου"), ("例", "山田"), ("İrem", "Ǆemal"), ("ﬁona", "Œhler"), ("Anna", "Ørsted"), ("sophia", "Alexiou")]
        var forms: [CustomerForm] = []
        for index in 0..<120 {
            let (first, last) = names[index % names.count]
            forms.append(CustomerFixture.form(first, last, "p\(index % 11)x\(index)@example.com"))
        }
        let ids = try fixture.create(forms, batch: 40)
        try fixture.verify(ids.enumerated().filter { $0.offset % 4 == 1 }.map(\.element))
        let oracle = try ListOracle(store: fixture.store)
        for sort in CustomerListSort.allCases {
            for descending in [false, true] {
                for search in ["x1", "@example", "p3", "ο", "例"] {
                    let query = CustomerListQuery(search: search, sort: sort, descending: descending, limit: 9)
                    let expected = oracle.matches(query)
                    let paged = try fixture.allPages(query)
                    let label = "\(sort) desc=\(descending) search=\(search)"
                    XCTAssertEqual(paged.rows.map(\.creationSequence), expected.map(\.creationSequence), label)
                    XCTAssertEqual(paged.totals, [expected.count], label)
                }
            }
        }
        XCTAssertEqual(try fixture.page(CustomerListQuery(search: "例")).total, 20)
    }

    /// The selection alone: the first places after a bound, in either direction, from places offered in any order.
    func testPlaceSelectionKeepsTheFirstPlacesAfterTheBound() {
        var random = SeededRandom(seed: 5)
        let places = (0..<3000).map { _ in (0..<(1 + random.next(4))).map { _ in UInt8(random.next(6)) } + [UInt8(random.next(256))] }
        let distinct = Array(Set(places))
        for descending in [false, true] {
            for after in [nil, distinct[17]] as [[UInt8]?] {
                for limit in [1, 11, 500] {
                    var selection = PlaceSelection(limit: limit, descending: descending, after: after)
                    for place in distinct { place.withUnsafeBytes { selection.offer($0) } }
                    var expected = distinct.sorted { descending ? $1.lexicographicallyPrecedes($0) : $0.lexicographicallyPrecedes($1) }
                    if let after, let index = expected.firstIndex(of: after) { expected.removeFirst(index + 1) }
                    XCTAssertEqual(selection.places(), Array(expected.prefix(limit)), "desc=\(descending) limit=\(limit)")
                }
            }
        }
    }
}
