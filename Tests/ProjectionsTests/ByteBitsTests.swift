import CompactCodec
import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// One-byte searches read the byte bitmaps (`ByteBits`): they follow creates (pending, merged, in large
/// batches), edits that add and drop bytes, and a rebuild holds the same content; a table set written before
/// them (format 3) is searched by the union of the trigram lists until its first write builds them.
final class ByteBitsTests: XCTestCase {
    static let oneByteQueries = ["a", "e", "z", "q", "ä", "Ø", "1", "9", "@", ".", "-", "+", "ß"]

    private func assertOneByteSearchesMatchTheOracle(_ fixture: CustomerFixture, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let oracle = try ListOracle(store: fixture.store)
        for search in Self.oneByteQueries {
            for status in [nil, CustomerStatus.verified] {
                let query = CustomerListQuery(status: status, search: search, sort: .lastName, limit: 1000)
                let expected = oracle.matches(query)
                let page = try fixture.page(query)
                XCTAssertEqual(page.total, expected.count, "\(label): total of \(search)", file: file, line: line)
                XCTAssertEqual(page.items.map(\.creationSequence), expected.map(\.creationSequence), "\(label): rows of \(search)", file: file, line: line)
            }
        }
    }

    private func format(_ fixture: CustomerFixture) throws -> UInt64? {
        try fixture.store.read { try $0.get($0.table(ActiveTableSet.table), Array("format/customer-list".utf8)) { readBigEndianUInt64($0) } }
    }

    private func bitmapCount(_ fixture: CustomerFixture) throws -> Int {
        try fixture.store.read { reader in try reader.count(try CustomerListView().resolveTables(in: reader).grams.bytes) }
    }

    func testOneByteSearchesFollowCreatesMergesEditsAndARebuild() throws {
        let fixture = try CustomerFixture.withSmallSearchMerges()
        let ids = try fixture.create(CustomerListTests.forms(count: 400, seed: 21), batch: 200)
        try fixture.verify(ids.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        XCTAssertGreaterThan(try bitmapCount(fixture), 10, "a large batch writes its customers' bitmaps")
        try assertOneByteSearchesMatchTheOracle(fixture, "after batches")
        // Single creates: pending first, then merged (their bits arrive as their records leave).
        var singles: [CustomerID] = []
        for index in 0..<300 {
            singles.append(try fixture.create(CustomerFixture.form("Quinn", "Zed\(index)", "q\(index)@x.io")))
            if index % 100 == 99 { try assertOneByteSearchesMatchTheOracle(fixture, "after \(index + 1) single creates") }
        }
        // More single creates until a merge has finished: its customers' records have left (their bits are in).
        func pendingRecords() throws -> Int {
            try fixture.store.read { reader in try reader.count(try CustomerListView().resolveTables(in: reader).grams.pending) }
        }
        while try pendingRecords() >= singles.count {
            let index = singles.count
            singles.append(try fixture.create(CustomerFixture.form("Quinn", "Zed\(index)", "q\(index)@x.io")))
            XCTAssertLessThan(index, 2000, "no merge finished")
            if index >= 2000 { break }
        }
        try assertOneByteSearchesMatchTheOracle(fixture, "after a merge finished")
        // Edits that drop bytes ("q", "z") and add others, of customers in the blocks and still pending.
        try fixture.edit([
            (ids[0], EditCustomer(firstName: "Bob", lastName: "Ng")),
            (ids[1], EditCustomer(lastName: "Qvist-Zäh", company: "Firma 9")),
            (singles[0], EditCustomer(firstName: "Anna", lastName: "Berg")),
            (singles[singles.count - 1], EditCustomer(firstName: "Ann", lastName: "Ørn", phone: "+1 555")),
        ])
        try fixture.changeEmail(ids[2], to: "zq-new@x.io", reason: "typo", actor: "bob")
        try assertOneByteSearchesMatchTheOracle(fixture, "after edits")
        XCTAssertEqual(try fixture.page(CustomerListQuery(search: "Ø")).total, try ListOracle(store: fixture.store).matches(CustomerListQuery(search: "Ø")).count)

        let rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        let live = try RebuildTests.liveList(fixture.store)
        XCTAssertTrue(try rebuilder.verify().isConsistent, "a rebuild has the same bitmaps (with the pending customers' bits)")
        _ = try rebuilder.rebuild()
        RebuildTests.assertSame(live, try RebuildTests.liveList(fixture.store))
        try assertOneByteSearchesMatchTheOracle(fixture, "after a rebuild")

        // A bit that went missing is a difference `rebuild --verify` names.
        try fixture.store.write { writer in
            let tables = try CustomerListView().resolveTables(in: writer)
            let (key, value) = try writer.withCursor(tables.grams.bytes) { cursor in
                XCTAssertTrue(try cursor.first())
                return (Array(cursor.key), Array(cursor.value))
            }
            var damaged = value
            damaged[damaged.firstIndex { $0 != 0 } ?? 0] = 0
            try writer.put(tables.grams.bytes, key, damaged)
        }
        let report = try rebuilder.verify()
        XCTAssertFalse(report.isConsistent)
        XCTAssertTrue(report.differences.contains { $0.description.contains(".bytes") }, "\(report.differences)")
    }

    func testASetOfFormatThreeIsSearchedByTheUnionUntilItsFirstWriteBuildsTheBitmaps() throws {
        let fixture = try CustomerFixture()
        try fixture.create(CustomerListTests.forms(count: 150, seed: 22), batch: 150)
        for index in 0..<20 { try fixture.create(CustomerFixture.form("Pia", "Pending\(index)", "pending\(index)@x.io")) }
        // As a build before `ByteBits` left it: no bitmaps, format 3.
        try fixture.store.write { writer in
            let tables = try CustomerListView().resolveTables(in: writer)
            try writer.removeAll(tables.grams.bytes)
            try writer.put(writer.table(ActiveTableSet.table), Array("format/customer-list".utf8), BigEndianUInt64(3))
        }
        XCTAssertEqual(try bitmapCount(fixture), 0)
        try assertOneByteSearchesMatchTheOracle(fixture, "format 3, read as it is")
        XCTAssertTrue(try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog).verify().isConsistent, "no bitmaps yet is no difference")
        try fixture.create(CustomerFixture.form("Zoe", "First-Write", "first.write@x.io"))
        XCTAssertEqual(try format(fixture), 4)
        XCTAssertGreaterThan(try bitmapCount(fixture), 10)
        try assertOneByteSearchesMatchTheOracle(fixture, "after the first write")
        let rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        XCTAssertTrue(try rebuilder.verify().isConsistent, "the bitmaps built from the blocks are a rebuild's")
    }
}
