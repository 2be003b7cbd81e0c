import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// A rebuild stopped like a killed process — in its chunked replay or between two of its bulk write
/// transactions — is resumed by the next rebuild (or verify), which ends with the bytes of an uninterrupted one;
/// and every read model, the directory and outbox included, goes live by switching its table set.
final class RebuildResumeTests: XCTestCase {
    private static let catalog = ProjectionCatalog([CustomerDirectory(), CustomerListView(), EmailOutbox()])

    /// The live tables of every projection of the catalog (the list as `RebuildTests.liveList` compares it).
    private static func everything(_ store: EventStore) throws -> [[([UInt8], [UInt8])]] {
        let others = try store.read { reader in
            try (CustomerDirectory().live(in: reader).tables + EmailOutbox().live(in: reader).tables).map {
                try RebuildTests.dump(reader.table($0), in: reader)
            }
        }
        return try RebuildTests.liveList(store) + others
    }

    private static func runRecord(_ store: EventStore) throws -> RunRecord? {
        try store.read { try RunRecord.load(in: $0) }
    }

    func testAReplayStoppedMidwayIsResumedFromItsRecordedPosition() throws {
        let fixture = try CustomerFixture(catalog: Self.catalog)
        try RebuildTests.randomHistory(fixture, seed: 41, customers: 150)
        let live = try Self.everything(fixture.store)
        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: Self.catalog)
        rebuilder.chunkSize = 40
        rebuilder.bulkLoad = false
        rebuilder.abandonAfterChunks = 3
        XCTAssertThrowsError(try rebuilder.rebuild()) { XCTAssertTrue($0 is ProjectionRebuilder.Abandoned) }
        let left = try XCTUnwrap(try Self.runRecord(fixture.store))
        XCTAssertEqual(left.position, 120, "three chunks of 40 positions committed")
        XCTAssertEqual(left.phase, .replaying(starts: [0, 0, 0]))
        // Appends meanwhile keep the live tables current; the resumed run catches up with them.
        try fixture.create(CustomerFixture.form("During", "Pause", "during@example.com"))
        let withNewcomer = try Self.everything(fixture.store)
        XCTAssertNotEqual(withNewcomer.map(\.count), live.map(\.count))

        rebuilder.abandonAfterChunks = nil
        var reports: [RebuildProgress] = []
        let report = try rebuilder.rebuild { reports.append($0) }
        XCTAssertTrue(report.resumed)
        XCTAssertGreaterThan(reports.first?.processed ?? 0, 120, "no chunk replayed again from 0")
        RebuildTests.assertSame(try Self.everything(fixture.store), withNewcomer)
        XCTAssertNil(try Self.runRecord(fixture.store))
        let verified = try rebuilder.verify()
        XCTAssertTrue(verified.isConsistent)
        XCTAssertFalse(verified.resumed)
    }

    func testBulkWritesStoppedMidwayAreNotWrittenAgain() throws {
        let fixture = try CustomerFixture(catalog: Self.catalog)
        try RebuildTests.randomHistory(fixture, seed: 43, customers: 200)
        let live = try Self.everything(fixture.store)
        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: Self.catalog)
        rebuilder.bulkTransactionBytes = 2048  // many small write transactions
        rebuilder.abandonAfterBulkTransactions = 4
        XCTAssertThrowsError(try rebuilder.rebuild()) { XCTAssertTrue($0 is ProjectionRebuilder.Abandoned) }
        guard case .bulkWriting(let write)? = try Self.runRecord(fixture.store)?.phase else {
            return XCTFail("the run record should say how far the bulk writes got")
        }
        XCTAssertNotEqual(write.place, BulkWritePlace(), "four transactions committed")
        XCTAssertEqual(write.collectedThrough, try fixture.store.headPosition())
        // Appended after the kill: the resumed bulk load reads exactly as far as before, the replay the rest.
        try fixture.create(CustomerFixture.form("After", "Kill", "after.kill@example.com"))
        let expected = try Self.everything(fixture.store)
        XCTAssertNotEqual(expected.map(\.count), live.map(\.count))

        rebuilder.abandonAfterBulkTransactions = nil
        let report = try rebuilder.verify()
        XCTAssertTrue(report.resumed)
        XCTAssertTrue(report.isConsistent, report.differences.map(\.description).joined(separator: "\n"))
        try rebuilder.rebuild()
        RebuildTests.assertSame(try Self.everything(fixture.store), expected)
        XCTAssertEqual(try fixture.store.read { try ActiveTableSet.suffix(of: "customer-directory", in: $0) }, ".shadow")
        XCTAssertEqual(try fixture.store.read { try ActiveTableSet.suffix(of: "email-outbox", in: $0) }, ".shadow")
        XCTAssertEqual(try fixture.page(CustomerListQuery(search: "after.kill")).total, 1)
        try fixture.store.read { reader in
            XCTAssertNotNil(try CustomerDirectory().customer(withEmail: "after.kill@example.com", in: reader))
            XCTAssertEqual(try reader.count(reader.table(TableSpec("directory.email"))), 0, "the idle set is emptied")
        }
    }
}
