import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// The customer list follows edits: rows, sort positions, search, counters — and a rebuild, bulk or chunked,
/// writes exactly the bytes the live projection holds after them.
final class CustomerListEditTests: XCTestCase {
    func testTheOldNameNoLongerMatchesTheNewOneDoesAndTheSortPositionMoves() throws {
        let fixture = try CustomerFixture()
        let smith = try fixture.create(CustomerFixture.form("John", "Smith", "john@example.com", company: "Acme"))
        try fixture.create(CustomerFixture.form("Ann", "Miller", "ann@example.com"))
        try fixture.verify(smith)
        func references(_ query: CustomerListQuery) throws -> [String] {
            try fixture.page(query).items.map(\.reference.description)
        }
        XCTAssertEqual(try references(CustomerListQuery(sort: .lastName)), ["DE--2", "DE--1"])

        try fixture.edit(smith, EditCustomer(lastName: "Abbot", phone: "+49 30 777", company: ""))

        XCTAssertEqual(try references(CustomerListQuery(search: "smith")), [])
        XCTAssertEqual(try references(CustomerListQuery(search: "acme")), [])
        XCTAssertEqual(try references(CustomerListQuery(search: "abbot")), ["DE--1"])
        XCTAssertEqual(try references(CustomerListQuery(search: "30 777")), ["DE--1"])
        XCTAssertEqual(try references(CustomerListQuery(sort: .lastName)), ["DE--1", "DE--2"])
        XCTAssertEqual(try references(CustomerListQuery(status: .verified, sort: .lastName)), ["DE--1"])
        let page = try fixture.page(CustomerListQuery(status: .verified))
        XCTAssertEqual(page.total, 1)
        XCTAssertEqual(page.items.first?.status, .verified)
        XCTAssertEqual(page.items.first?.profile.lastName, "Abbot")
        XCTAssertNil(page.items.first?.profile.company)
        XCTAssertEqual(try fixture.page(CustomerListQuery()).total, 2)
        XCTAssertEqual(try fixture.page(CustomerListQuery(status: .unverified)).total, 1)
    }

    /// Creations, verifications and edits (of names from a small pool, so trigram blocks fill, split and
    /// shrink), in transactions of varying size.
    static func historyWithEdits(_ fixture: CustomerFixture, seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var ids: [CustomerID] = []
        let names = ["Smith", "Smyth", "Miller", "Ørsted", "Anna", "Annabel", "Zoë"]
        for round in 0..<12 {
            let count = 5 + random.next(30)
            ids += try fixture.create(CustomerListTests.forms(count: count, seed: random.nextUInt64()))
            fixture.clock.advance(Double(random.next(100)))
            if random.next(2) == 0 { try fixture.verify(ids.filter { _ in random.next(4) == 0 }) }
            var edits: [(CustomerID, EditCustomer)] = []
            for _ in 0..<(1 + random.next(25)) {
                let id = ids[random.next(ids.count)]
                switch random.next(4) {
                case 0: edits.append((id, EditCustomer(lastName: names[random.next(names.count)])))
                case 1: edits.append((id, EditCustomer(firstName: names[random.next(names.count)], company: random.next(2) == 0 ? "" : "Anna GmbH \(round)")))
                case 2: edits.append((id, EditCustomer(phone: random.next(2) == 0 ? "" : "+49 \(random.next(1000))")))
                default: edits.append((id, EditCustomer(salutation: "Dr")))
                }
            }
            // Some transactions hold one edit each, some many: batching must not change the bytes.
            if random.next(2) == 0 { try fixture.edit(edits) } else { for edit in edits { try fixture.edit([edit]) } }
        }
    }

    func testTheListAgreesWithTheOracleAfterEdits() throws {
        let fixture = try CustomerFixture()
        try Self.historyWithEdits(fixture, seed: 5)
        let oracle = try ListOracle(store: fixture.store)
        for sort in CustomerListSort.allCases {
            for status in [nil, CustomerStatus.verified] {
                for search in [nil, "smith", "smy", "anna", "ørs", "gmbh", "+49", "zo"] {
                    let query = CustomerListQuery(status: status, search: search, sort: sort, limit: 1000)
                    let expected = oracle.matches(query)
                    let page = try fixture.page(query)
                    let label = "\(sort) \(String(describing: status)) \(String(describing: search))"
                    XCTAssertEqual(page.items, expected, label)
                    XCTAssertEqual(page.total, expected.count, label)
                }
            }
        }
    }

    func testEveryRebuildAfterEditsReproducesTheLiveBytes() throws {
        let fixture = try CustomerFixture()
        try Self.historyWithEdits(fixture, seed: 11)
        let live = try RebuildTests.liveList(fixture.store)
        XCTAssertGreaterThan(live[0].count, 100)

        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        rebuilder.chunkSize = 53
        rebuilder.bulkLoad = false
        try rebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(fixture.store), live)

        rebuilder.bulkLoad = true
        rebuilder.bulkReadChunk = 40
        try rebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(fixture.store), live)

        // Edits only after a bulk-loadable prefix: the bulk phase covers it, the chunked replay the rest.
        let late = try CustomerFixture()
        let ids = try late.create(CustomerListTests.forms(count: 150, seed: 3))
        try late.verify(Array(ids.prefix(40)))
        try late.edit(ids.prefix(60).map { ($0, EditCustomer(lastName: "Smith")) })
        try late.create(CustomerListTests.forms(count: 20, seed: 4))
        let lateLive = try RebuildTests.liveList(late.store)
        var lateRebuilder = try ProjectionRebuilder(store: late.store, catalog: late.catalog)
        lateRebuilder.bulkReadChunk = 30
        try lateRebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(late.store), lateLive)
        XCTAssertTrue(try lateRebuilder.verify().isConsistent)
        XCTAssertTrue(try rebuilder.verify().isConsistent)
    }
}
