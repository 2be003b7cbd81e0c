import CompactCodec
@testable import EventStore
import Foundation
import TestSupport
import XCTest

/// A projection applied inline says once that its checkpoint follows the log instead of rewriting it in every
/// commit; a writer that appends without that projection pins the checkpoint where the projection left off.
final class FollowingCheckpointTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("checkpoints") }
    override func tearDown() { folder = nil }

    private func storedCheckpoint(_ store: EventStore, _ name: String) throws -> [UInt8]? {
        try store.environment.read { txn in try txn.value(txn.table("checkpoints"), Array(name.utf8)) }
    }

    func testAnInlineProjectionsCheckpointFollowsTheHeadWithoutBeingRewritten() throws {
        let projection = CountingProjection()
        let store = try EventStore(directory: folder.url, projections: [projection])
        let stream = try StreamName("s")
        try store.append([sampleEvent(), sampleEvent()], to: stream, expectedVersion: .any)
        XCTAssertEqual(try storedCheckpoint(store, projection.name), StoreWriter.followsTheLog)
        try store.append([sampleEvent()], to: stream, expectedVersion: .any)
        XCTAssertEqual(try storedCheckpoint(store, projection.name), StoreWriter.followsTheLog)
        XCTAssertEqual(try store.checkpoint(projection.name), 3)
        XCTAssertEqual(try store.read { try projection.count(in: $0) }, 3)

        try store.write { try $0.saveCheckpoint(projection.name, position: 2) }
        XCTAssertEqual(try store.checkpoint(projection.name), 2, "an explicit position is kept as it is")
        try store.append([sampleEvent()], to: stream, expectedVersion: .any)
        XCTAssertEqual(try store.checkpoint(projection.name), 4)
    }

    func testAWriterWithoutTheProjectionPinsItsCheckpointWhereItLeftOff() throws {
        let projection = CountingProjection()
        let deferred = DeferredProjection(log: BatchLog())
        let full = try EventStore(directory: folder.url, projections: [projection, deferred])
        let stream = try StreamName("s")
        try full.append([sampleEvent(), sampleEvent()], to: stream, expectedVersion: .any)
        let bare = try EventStore(directory: folder.url)
        try bare.append([sampleEvent()], to: stream, expectedVersion: .any)
        XCTAssertEqual(try full.headPosition(), 3)
        XCTAssertEqual(try full.checkpoint(projection.name), 2, "the projection did not see position 3")
        XCTAssertEqual(try full.checkpoint(deferred.name), 2)
        XCTAssertEqual(try storedCheckpoint(full, projection.name), Array(BigEndianUInt64(2).withUnsafeBytes { Array($0) }))
        try bare.append([sampleEvent()], to: stream, expectedVersion: .any)
        XCTAssertEqual(try full.checkpoint(projection.name), 2, "pinned once, and stays")

        try full.append([sampleEvent()], to: stream, expectedVersion: .any)
        XCTAssertEqual(try full.checkpoint(projection.name), 5)
        XCTAssertEqual(try full.checkpoint(deferred.name), 5)
        XCTAssertEqual(try storedCheckpoint(full, deferred.name), StoreWriter.followsTheLog)
    }

    func testAFormatOneStoreKeepsWritingPositions() throws {
        let projection = CountingProjection()
        let store = try EventStore(directory: folder.url, projections: [projection])
        try store.write { try $0.recordFormatVersion(1) }
        try store.append([sampleEvent(), sampleEvent()], to: try StreamName("s"), expectedVersion: .any)
        XCTAssertEqual(try storedCheckpoint(store, projection.name), Array(BigEndianUInt64(2).withUnsafeBytes { Array($0) }))
        XCTAssertEqual(try store.checkpoint(projection.name), 2)
    }
}
