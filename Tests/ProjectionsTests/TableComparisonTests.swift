import CompactCodec
import EventStore
import Foundation
@testable import Projections
import XCTest

/// The verifier's comparisons: the quick "same bytes?" walk that lets it skip comparing the trigram index posting
/// by posting, and that a tampered index is still reported.
final class TableComparisonTests: XCTestCase {
    func testIdenticalTablesAreToldFromTablesThatDifferInAValueAKeyOrAnEntry() throws {
        let fixture = try CustomerFixture()
        try RebuildTests.randomHistory(fixture, seed: 7, customers: 40)
        let rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        try rebuilder.rebuild()  // the live list is now in the `.b` set; the primary set is empty
        let live = TableSpec("customer-list.b.rows"), other = TableSpec("customer-list.rows")
        func identical() throws -> Bool {
            try fixture.store.read { try TableComparison.areIdentical($0.table(live), $0.table(other), in: $0) }
        }
        let rows = try fixture.store.read { try RebuildTests.dump($0.table(live), in: $0) }
        XCTAssertFalse(rows.isEmpty)
        XCTAssertFalse(try identical(), "an empty table against a full one")
        try fixture.store.write { writer in
            for (key, value) in rows { try writer.put(writer.table(other), key, value) }
        }
        XCTAssertTrue(try identical())
        let (lastKey, lastValue) = try XCTUnwrap(rows.last)
        try fixture.store.write { try $0.put($0.table(other), lastKey, lastValue + [0]) }
        XCTAssertFalse(try identical(), "a longer value")
        try fixture.store.write { try $0.put($0.table(other), lastKey, lastValue) }
        XCTAssertTrue(try identical())
        try fixture.store.write { try $0.put($0.table(other), lastKey + [0], lastValue) }
        XCTAssertFalse(try identical(), "an extra entry at the end")
        try fixture.store.write { _ = try $0.delete($0.table(other), lastKey) }
        XCTAssertFalse(try identical(), "a key that differs")
    }

    func testVerifyStillReportsATamperedTrigramBlock() throws {
        let fixture = try CustomerFixture()
        try RebuildTests.randomHistory(fixture, seed: 8, customers: 40)
        let rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        XCTAssertTrue(try rebuilder.verify().isConsistent)
        try fixture.store.write { writer in
            // Postings are in the blocks or still pending (few customers): take one away wherever it is.
            var removed = false
            for name in ["customer-list.grams", "customer-list.grams-pending"] where !removed {
                let table = writer.table(TableSpec(name))
                let first: [UInt8]? = try writer.withCursor(table) { cursor in try cursor.first() ? Array(cursor.key) : nil }
                if let first { removed = try writer.delete(table, first) }
            }
            XCTAssertTrue(removed)
        }
        let report = try rebuilder.verify()
        XCTAssertFalse(report.isConsistent)
        XCTAssertTrue(report.differences.contains { $0.table == "customer-list.grams" }, "\(report.differences)")
    }
}
