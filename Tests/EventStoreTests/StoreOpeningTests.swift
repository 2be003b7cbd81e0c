import CompactCodec
@testable import EventStore
import Foundation
import TestSupport
import XCTest

/// `EventStore(access:)` in one process: what a read-only open refuses, reads and never writes.
final class StoreOpeningTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("opening") }
    override func tearDown() { folder = nil }

    private var storeURL: URL { folder.path("store") }
    private let kept = TableSpec("kept")
    private let added = TableSpec("added-later")

    func testAReadOfAMissingStoreCreatesNothing() throws {
        XCTAssertThrowsError(try EventStore(directory: storeURL, access: .readOnly)) { error in
            XCTAssertEqual(error as? EventStoreError, .noStore(path: storeURL.path))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: storeURL.path))
    }

    func testAReadOnlyStoreReadsADeclaredTableItLacksAsEmptyAndWritesNothing() throws {
        do {
            let store = try EventStore(directory: storeURL, additionalTables: [kept])
            XCTAssertTrue(store.wasCreated)
            try store.write { writer in
                try writer.append([sampleEvent()], to: StreamName("s-1"), expectedVersion: .noStream)
                try writer.put(writer.table(kept), [1], [2])
            }
        }  // closed: the read-only open below gets an environment of its own
        let before = try Data(contentsOf: storeURL.appendingPathComponent("data.mdb"))
        let reader = try EventStore(directory: storeURL, additionalTables: [kept, added], access: .readOnly)
        XCTAssertFalse(reader.wasCreated)
        try reader.read { reader in
            XCTAssertEqual(try reader.value(reader.table(self.kept), [1]), [2])
            let missing = reader.table(self.added)
            XCTAssertTrue(missing.isAbsent)
            XCTAssertEqual(try reader.count(missing), 0)
            XCTAssertNil(try reader.value(missing, [1]))
            XCTAssertFalse(try reader.withCursor(missing) { try $0.first() })
            XCTAssertEqual(try reader.headPosition(), 1)
        }
        XCTAssertThrowsError(try reader.write { _ in }) { error in
            XCTAssertEqual(error as? EventStoreError, .readOnly(path: storeURL.path))
        }
        XCTAssertEqual(try Data(contentsOf: storeURL.appendingPathComponent("data.mdb")), before, "not a byte written")
    }

    func testEveryTableIsDeclaredWhenTheStoreFirstOpens() throws {
        // Declared tables are opened at start-up; a later open may not add any.
        let store = try EventStore(directory: storeURL, additionalTables: [kept])
        XCTAssertTrue(store.hasTable(kept))
        XCTAssertFalse(store.hasTable(added))
        XCTAssertThrowsError(try EventStore(directory: storeURL, additionalTables: [added]))
    }

    func testAStoreThatAnotherProcessKeepsWritingIsNeverJudgedDamaged() throws {
        do { _ = try EventStore(directory: storeURL) }  // created, then closed in this process
        let writer = try RunningProcess(builtProduct("eventstore-worker"), [storeURL.path, "busy", "0", "20", "300"])
        defer { writer.kill9() }
        let deadline = Date().addingTimeInterval(10)
        while writer.lines.isEmpty && Date() < deadline { usleep(5_000) }
        XCTAssertFalse(writer.lines.isEmpty, "the writer never committed: the test proves nothing")
        var heads: [UInt64] = []
        for _ in 0..<150 {
            // Each open judges data.mdb afresh (meta pages against the size) while the file grows.
            let reader = try EventStore(directory: storeURL, access: .readOnly)
            heads.append(try reader.headPosition())
        }
        XCTAssertGreaterThan(heads.last ?? 0, heads.first ?? 0, "the log grew while it was judged")
    }
}

/// Opening an existing store for writing does not wait for the writer lock: only writing does. A command behind a
/// long writer (a rebuild commits chunk after chunk) then waits for it once, not once to open and again to write.
final class StoreOpeningWithoutTheWriterLockTests: XCTestCase {
    func testAnExistingStoreOpensWhileAnotherWriterHoldsTheLockAndOnlyItsWriteWaits() throws {
        let folder = TemporaryDirectory("opening-locked")
        let url = folder.path("store")
        do {
            let store = try EventStore(directory: url)
            try store.append([sampleEvent()], to: StreamName("s-1"), expectedVersion: .noStream)
        }  // closed: the open below is a fresh one
        // This test plays the other writer: an exclusive flock on the writer lock, as every writer takes it.
        let descriptor = open(url.path + "/writer.lock", O_RDWR)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        XCTAssertEqual(flock(descriptor, LOCK_EX), 0)

        let started = Date()
        let store = try EventStore(directory: url, options: .init(lockTimeout: 0.3))
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.25, "the open waited for the writer lock")
        XCTAssertFalse(store.wasCreated)
        XCTAssertEqual(try store.read { try $0.readStream(StreamName("s-1")).count }, 1)
        XCTAssertThrowsError(try store.append([sampleEvent()], to: StreamName("s-2"), expectedVersion: .noStream)) { error in
            guard case .writerBusy = error as? EventStoreError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.headPosition(), 1, "a write that timed out wrote nothing")

        XCTAssertEqual(flock(descriptor, LOCK_UN), 0)
        try store.append([sampleEvent()], to: StreamName("s-2"), expectedVersion: .noStream)
        XCTAssertEqual(try store.headPosition(), 2)
    }
}
