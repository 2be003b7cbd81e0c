import CompactCodec
import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// Issue 9.21: names sort by base letter, then accents (`Ångström` with the A's, `Muller` before `Müller`,
/// `Straße` as "strasse");
/// search ignores case and accents and also covers company and phone; `created` is by `createdAt`.
/// Checked on the incremental path and again after a bulk rebuild.
final class CollationAndSearchTests: XCTestCase {
    private static let lastNames = ["Zola", "Ångström", "Anders", "Müller", "Muller", "Mueller", "Ørsted", "Oberg", "Straße", "Strasser"]

    private func fixture() throws -> CustomerFixture {
        let fixture = try CustomerFixture()
        for (index, last) in Self.lastNames.enumerated() {
            var form = CustomerFixture.form("Eva", last, "p\(index)@example.com", company: index == 2 ? "ACME Gmbh" : nil)
            if index == 4 { form.phone = "+49 30 1234-56" }
            try fixture.create(form)
        }
        return fixture
    }

    private func lastNames(_ fixture: CustomerFixture, _ query: CustomerListQuery) throws -> [String] {
        try fixture.page(query).items.map(\.profile.lastName)
    }

    private func check(_ fixture: CustomerFixture, _ label: String) throws {
        XCTAssertEqual(
            try lastNames(fixture, CustomerListQuery(sort: .lastName, limit: 100)),
            ["Anders", "Ångström", "Mueller", "Muller", "Müller", "Oberg", "Ørsted", "Straße", "Strasser", "Zola"], label)
        XCTAssertEqual(
            try lastNames(fixture, CustomerListQuery(sort: .lastName, descending: true, limit: 100)),
            ["Zola", "Strasser", "Straße", "Ørsted", "Oberg", "Müller", "Muller", "Mueller", "Ångström", "Anders"], label)
        XCTAssertEqual(Set(try lastNames(fixture, CustomerListQuery(search: "muller", limit: 100))), ["Muller", "Müller"], label)
        XCTAssertEqual(try lastNames(fixture, CustomerListQuery(search: "angs")), ["Ångström"], label)
        XCTAssertEqual(try lastNames(fixture, CustomerListQuery(search: "ÅNGS")), ["Ångström"], label)
        XCTAssertEqual(try lastNames(fixture, CustomerListQuery(search: "orst")), ["Ørsted"], label)
        XCTAssertEqual(try lastNames(fixture, CustomerListQuery(search: "strasse", sort: .lastName)), ["Straße", "Strasser"], label)
        XCTAssertEqual(try lastNames(fixture, CustomerListQuery(search: "acme gm")), ["Anders"], "\(label): company")
        XCTAssertEqual(try lastNames(fixture, CustomerListQuery(search: "30 1234")), ["Muller"], "\(label): phone")
        XCTAssertEqual(try lastNames(fixture, CustomerListQuery(search: "z", sort: .lastName)), ["Zola"], label)
    }

    func testCollationAndAccentFoldingSearchOnBothPaths() throws {
        let fixture = try fixture()
        try check(fixture, "incremental")
        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        rebuilder.bulkLoad = true
        try rebuilder.rebuild()
        XCTAssertEqual(try fixture.store.read { try ActiveTableSet.suffix(of: "customer-list", in: $0) }, ".b")
        try check(fixture, "bulk rebuild")
        XCTAssertTrue(try rebuilder.verify().isConsistent)
    }

    /// Imported customers created years ago come first in `created` order (ties by reference number), whatever
    /// their place in the log; with or without a search, and after a bulk rebuild.
    func testCreatedOrderIsCreatedAtThenReference() throws {
        let fixture = try CustomerFixture()
        try fixture.create(CustomerFixture.form("Now", "First", "now1@example.com"))  // DE--1, today
        let day = CalendarDate(year: 2019, month: 5, day: 1)
        try fixture.importCustomer(CustomerFixture.form("Old", "Second", "old2@example.com"), registeredOn: day)  // DE--2
        try fixture.importCustomer(CustomerFixture.form("Old", "Third", "old3@example.com"), registeredOn: day)  // DE--3
        try fixture.importCustomer(
            CustomerFixture.form("Older", "Fourth", "old4@example.com"), registeredOn: CalendarDate(year: 2018, month: 1, day: 2))
        for label in ["incremental", "bulk rebuild"] {
            if label == "bulk rebuild" {
                var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
                rebuilder.bulkLoad = true
                try rebuilder.rebuild()
            }
            let references = { (query: CustomerListQuery) in try fixture.page(query).items.map(\.reference.description) }
            XCTAssertEqual(try references(CustomerListQuery()), ["DE--4", "DE--2", "DE--3", "DE--1"], label)
            XCTAssertEqual(try references(CustomerListQuery(descending: true)), ["DE--1", "DE--3", "DE--2", "DE--4"], label)
            XCTAssertEqual(try references(CustomerListQuery(search: "example")), ["DE--4", "DE--2", "DE--3", "DE--1"], label)
            XCTAssertEqual(try references(CustomerListQuery(sort: .status)), ["DE--1", "DE--4", "DE--2", "DE--3"], label)
            // Paging through cursors keeps the order.
            XCTAssertEqual(try fixture.allPages(CustomerListQuery(limit: 1)).rows.map(\.reference.description), ["DE--4", "DE--2", "DE--3", "DE--1"], label)
        }
    }

    /// A live table set without the current format record, holding rows (what an older build left), is refused
    /// with the way out; `rebuild` writes a set in the current format and the list works again.
    func testAListOfTheOlderFormatIsRefusedUntilRebuilt() throws {
        let fixture = try fixture()
        try fixture.store.write { writer in
            _ = try writer.delete(writer.table(ActiveTableSet.table), Array("format/customer-list".utf8))
        }
        XCTAssertThrowsError(try fixture.page(CustomerListQuery())) { error in
            XCTAssertEqual(error as? ProjectionError, .outdatedFormat(projection: "the customer list", found: 1, expected: 4))
            XCTAssertEqual((error as? ProjectionError)?.remedy, .rebuildProjections, "\(error)")
            XCTAssertTrue("\(error)".contains("rebuilt once from the log"), "\(error)")
        }
        XCTAssertThrowsError(try fixture.create(CustomerFixture.form("New", "One", "new@example.com")), "no new keys mixed into old ones")
        try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog).rebuild()
        try check(fixture, "after rebuild")
        try fixture.create(CustomerFixture.form("New", "One", "new@example.com"))
        XCTAssertEqual(try fixture.page(CustomerListQuery()).total, Self.lastNames.count + 1)
    }

    /// Format 2 (before pending postings) is read as it is and relabelled by the next write; a format this
    /// build does not know is refused.
    func testTheFormatsBeforeByteBitsAreReadAndRelabelled() throws {
        let fixture = try fixture()
        let key = Array("format/customer-list".utf8)
        func format() throws -> UInt64? {
            try fixture.store.read { try $0.get($0.table(ActiveTableSet.table), key) { readBigEndianUInt64($0) } }
        }
        XCTAssertEqual(try format(), 4)
        // Formats 2 and 3 kept status counters; they are not read (the totals derive from rows and status bits),
        // and the first write in format 4 empties them.
        let counts = TableSpec("customer-list.counts")
        for older: UInt64 in [2, 3] {
            try fixture.store.write { writer in
                try writer.put(writer.table(ActiveTableSet.table), key, BigEndianUInt64(older))
                try writer.put(writer.table(counts), Array("Unverified".utf8), BigEndianUInt64(99))
            }
            XCTAssertEqual(try fixture.page(CustomerListQuery()).total, Self.lastNames.count + Int(older) - 2)
            XCTAssertEqual(try fixture.page(CustomerListQuery(status: .unverified)).total, Self.lastNames.count + Int(older) - 2)
            let verifier = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
            XCTAssertTrue(try verifier.verify().isConsistent, "counters nobody reads are no difference")
            try fixture.create(CustomerFixture.form("New", "One", "new\(older)@example.com"))
            XCTAssertEqual(try format(), 4)
            XCTAssertEqual(try fixture.store.read { try $0.count($0.table(counts)) }, 0)
            XCTAssertTrue(try verifier.verify().isConsistent)
            XCTAssertEqual(try fixture.page(CustomerListQuery(search: "new\(older)@")).total, 1)
        }
        try fixture.store.write { try $0.put($0.table(counts), Array("Verified".utf8), BigEndianUInt64(1)) }
        XCTAssertEqual(
            try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog).verify().differences.map(\.table),
            ["customer-list.counts"], "a format-4 set has no counters")
        try fixture.store.write { try $0.put($0.table(ActiveTableSet.table), key, BigEndianUInt64(5)) }
        XCTAssertThrowsError(try fixture.page(CustomerListQuery())) { error in
            XCTAssertEqual(error as? ProjectionError, .outdatedFormat(projection: "the customer list", found: 5, expected: 4))
        }
    }
}
