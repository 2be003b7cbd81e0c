import CompactCodec
@testable import EventStore
import Foundation
import TestSupport
import XCTest

func sampleEvent(_ type: String = "Something", payload: String = "payload", id: UUID = UUID()) -> EventData {
    EventData(eventID: id, type: type, metadata: EventMetadata(actor: "tester", correlationID: UUID()), payload: Array(payload.utf8))
}

final class EventStoreTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("store") }
    override func tearDown() { folder = nil }

    private func openStore(_ options: EventStore.Options = .init(), projections: [any InlineProjection] = []) throws -> EventStore {
        try EventStore(directory: folder.url, options: options, projections: projections)
    }

    func testAppendAndReadBackEveryEnvelopeField() throws {
        let store = try openStore()
        let stream = try StreamName("customer-1")
        let event = sampleEvent("CustomerCreated", payload: "hello")
        let result = try store.append([event], to: stream, expectedVersion: .noStream)
        XCTAssertEqual(result.firstVersion, 1)
        XCTAssertEqual(result.firstPosition, 1)
        XCTAssertFalse(result.wasAlreadyAppended)
        let read = try store.readStream(stream)
        XCTAssertEqual(read.count, 1)
        let recorded = try XCTUnwrap(read.first)
        XCTAssertEqual(recorded.eventID, event.eventID)
        XCTAssertEqual(recorded.type, "CustomerCreated")
        XCTAssertEqual(recorded.schemaVersion, 1)
        XCTAssertEqual(recorded.metadata, event.metadata)
        XCTAssertEqual(recorded.payload, Array("hello".utf8))
        XCTAssertEqual(recorded.stream, stream)
        XCTAssertEqual(recorded.version, 1)
        XCTAssertEqual(recorded.position, 1)
        XCTAssertLessThan(abs(recorded.recordedAt.timeIntervalSinceNow), 60)
        XCTAssertEqual(try store.headPosition(), 1)
    }

    func testExpectedVersionIsEnforcedAndNamesExpectedAndActual() throws {
        let store = try openStore()
        let stream = try StreamName("s")
        try store.append([sampleEvent()], to: stream, expectedVersion: .noStream)
        try store.append([sampleEvent(), sampleEvent()], to: stream, expectedVersion: .exact(1))
        try store.append([sampleEvent()], to: stream, expectedVersion: .any)
        XCTAssertThrowsError(try store.append([sampleEvent()], to: stream, expectedVersion: .exact(2))) { error in
            XCTAssertEqual(error as? EventStoreError, .wrongExpectedVersion(stream: stream, expected: .exact(2), actual: 4))
            XCTAssertTrue("\(error)".contains("expected at version 2, but it is at version 4"), "\(error)")
        }
        XCTAssertThrowsError(try store.append([sampleEvent()], to: stream, expectedVersion: .noStream))
        XCTAssertThrowsError(try store.append([sampleEvent()], to: try StreamName("new"), expectedVersion: .exact(3))) { error in
            XCTAssertTrue("\(error)".contains("it does not exist"), "\(error)")
        }
        XCTAssertEqual(try store.read { try $0.currentVersion(of: stream) }, 4)
        XCTAssertEqual(try store.headPosition(), 4, "rejected appends wrote nothing")
    }

    func testAppendToSeveralStreamsIsAllOrNothing() throws {
        let store = try openStore()
        let a = try StreamName("a"), b = try StreamName("b")
        struct Rejected: Error {}
        XCTAssertThrowsError(try store.write { writer in
            try writer.append([sampleEvent()], to: a, expectedVersion: .noStream)
            try writer.append([sampleEvent()], to: b, expectedVersion: .noStream)
            throw Rejected()
        })
        XCTAssertEqual(try store.headPosition(), 0)
        XCTAssertThrowsError(try store.write { writer in
            try writer.append([sampleEvent()], to: a, expectedVersion: .noStream)
            try writer.append([sampleEvent()], to: b, expectedVersion: .exact(9))  // wrong: whole txn aborts
        })
        XCTAssertEqual(try store.headPosition(), 0)
        try store.write { writer in
            try writer.append([sampleEvent(), sampleEvent()], to: a, expectedVersion: .noStream)
            try writer.append([sampleEvent()], to: b, expectedVersion: .noStream)
            try writer.append([sampleEvent()], to: a, expectedVersion: .exact(2))
        }
        let all = try store.readAll()
        XCTAssertEqual(all.map(\.position), [1, 2, 3, 4])
        XCTAssertEqual(all.map(\.stream.rawValue), ["a", "a", "b", "a"])
        XCTAssertEqual(all.map(\.version), [1, 2, 1, 3])
    }

    func testRetriedAppendWithSameEventIDsIsIdempotent() throws {
        let store = try openStore()
        let stream = try StreamName("s")
        let batch = [sampleEvent(), sampleEvent()]
        let first = try store.append(batch, to: stream, expectedVersion: .noStream)
        let retry = try store.append(batch, to: stream, expectedVersion: .noStream)
        XCTAssertTrue(retry.wasAlreadyAppended)
        XCTAssertEqual(retry.firstPosition, first.firstPosition)
        XCTAssertEqual(retry.lastVersion, first.lastVersion)
        let retryAny = try store.append(batch, to: stream, expectedVersion: .any)
        XCTAssertTrue(retryAny.wasAlreadyAppended)
        XCTAssertEqual(try store.headPosition(), 2, "retries wrote nothing")
        // Same ids in a different order are not the same append.
        XCTAssertThrowsError(try store.append(batch.reversed(), to: stream, expectedVersion: .noStream))
        try store.append([sampleEvent()], to: stream, expectedVersion: .exact(2))
        let retryExact = try store.append(batch, to: stream, expectedVersion: .noStream)
        XCTAssertTrue(retryExact.wasAlreadyAppended, "a retry stays a retry after later events")
        XCTAssertEqual(try store.headPosition(), 3)
    }

    func testBadStreamNamesAreRejectedClearly() throws {
        XCTAssertThrowsError(try StreamName("")) { XCTAssertTrue("\($0)".contains("must not be empty")) }
        XCTAssertThrowsError(try StreamName(String(repeating: "x", count: 512))) { XCTAssertTrue("\($0)".contains("at most 511 bytes"), "\($0)") }
        XCTAssertThrowsError(try StreamName("a\nb")) { XCTAssertTrue("\($0)".contains("control characters")) }
        XCTAssertNoThrow(try StreamName(String(repeating: "x", count: 511)))
        let store = try openStore()
        try store.append([sampleEvent()], to: try StreamName(String(repeating: "é", count: 255)), expectedVersion: .noStream)
        XCTAssertEqual(try store.headPosition(), 1)
    }

    func testOversizedPayloadAndEmptyBatchAndBadTypeWriteNothing() throws {
        let store = try openStore(.init(maxPayloadBytes: 1000))
        let stream = try StreamName("s")
        let big = EventData(type: "Big", metadata: .init(actor: "t"), payload: [UInt8](repeating: 0, count: 1001))
        XCTAssertThrowsError(try store.append([sampleEvent(), big], to: stream, expectedVersion: .any)) { error in
            XCTAssertEqual(error as? EventStoreError, .payloadTooLarge(type: "Big", bytes: 1001, limit: 1000))
        }
        XCTAssertThrowsError(try store.append([], to: stream, expectedVersion: .any))
        XCTAssertThrowsError(try store.append([sampleEvent("")], to: stream, expectedVersion: .any))
        XCTAssertEqual(try store.headPosition(), 0)
    }

    func testReadStreamForwardBackwardAndReadAllWithLimits() throws {
        let store = try openStore()
        let s = try StreamName("s"), t = try StreamName("t")
        for index in 0..<5 {
            try store.append([sampleEvent(payload: "s\(index)")], to: s, expectedVersion: .any)
            try store.append([sampleEvent(payload: "t\(index)")], to: t, expectedVersion: .any)
        }
        XCTAssertEqual(try store.readStream(s, from: 2, limit: 2).map(\.version), [2, 3])
        XCTAssertEqual(try store.readStream(s, direction: .backward).map(\.version), [5, 4, 3, 2, 1])
        XCTAssertEqual(try store.readStream(s, from: 3, direction: .backward, limit: 2).map(\.version), [3, 2])
        XCTAssertEqual(try store.readStream(try StreamName("none")), [])
        XCTAssertEqual(try store.readAll(from: 4, limit: 3).map(\.position), [4, 5, 6])
        XCTAssertEqual(try store.readAll(from: 11), [])
        var visited: [UInt64] = []
        try store.read { reader in
            try reader.forEachEvent(from: 9) { view in
                visited.append(view.position)
                XCTAssertTrue(view.typeIs("Something"))
                XCTAssertEqual(Array(view.payload), try view.materialize().payload)
                return true
            }
        }
        XCTAssertEqual(visited, [9, 10])
    }

    func testReadingAStreamAcrossAppendsOfDifferentSizesInEveryDirection() throws {
        let store = try openStore()
        let s = try StreamName("s"), noise = try StreamName("noise")
        for size in [3, 1, 4, 2] {
            try store.append((0..<size).map { _ in sampleEvent() }, to: s, expectedVersion: .any)
            try store.append([sampleEvent()], to: noise, expectedVersion: .any)
        }
        let all = try store.readStream(s)
        XCTAssertEqual(all.map(\.version), Array(1...10))
        XCTAssertEqual(Set(all.map(\.stream)), [s])
        for start in UInt64(1)...10 {
            XCTAssertEqual(try store.readStream(s, from: start).map(\.version), Array(start...10))
            XCTAssertEqual(try store.readStream(s, from: start, direction: .backward).map(\.version), Array((1...start).reversed()))
            XCTAssertEqual(try store.readStream(s, from: start, limit: 2).map(\.version), Array(start...min(start + 1, 10)))
        }
        XCTAssertEqual(try store.readStream(s, from: 11), [])
        XCTAssertEqual(try store.readStream(noise).map(\.version), [1, 2, 3, 4])
        XCTAssertEqual(all.map(\.position), [1, 2, 3, 5, 7, 8, 9, 10, 12, 13])
    }

    func testCheckpointsCommitWithTheirTransaction() throws {
        let store = try openStore()
        try store.write { try $0.saveCheckpoint("view", position: 7) }
        XCTAssertEqual(try store.checkpoint("view"), 7)
        struct Abort: Error {}
        XCTAssertThrowsError(try store.write { writer in
            try writer.saveCheckpoint("view", position: 9)
            throw Abort()
        })
        XCTAssertEqual(try store.checkpoint("view"), 7)
        XCTAssertEqual(try store.checkpoint("never"), 0)
    }

    func testRecordedTimeNeverGoesBackwards() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 2_000_000_000))
        let store = try openStore(.init(clock: { clock.now }))
        let stream = try StreamName("s")
        try store.append([sampleEvent()], to: stream, expectedVersion: .any)
        clock.now = Date(timeIntervalSince1970: 1_000_000_000)  // the wall clock jumped back
        try store.append([sampleEvent()], to: stream, expectedVersion: .any)
        let times = try store.readAll().map(\.recordedAt)
        XCTAssertEqual(times[0], Date(timeIntervalSince1970: 2_000_000_000))
        XCTAssertEqual(times[1], times[0])
    }

    func testEveryEventOfATransactionIsRecordedAtTheTimeCommandsDecideWith() throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000.123456))
        let store = try openStore(.init(clock: { clock.now }))
        let decidedAt = try store.write { writer -> Date in
            let time = try writer.recordingTime()
            clock.now = Date(timeIntervalSince1970: 1_900_000_000)  // the clock moves during the transaction
            try writer.append([sampleEvent()], to: try StreamName("a"), expectedVersion: .any)
            try writer.append([sampleEvent()], to: try StreamName("b"), expectedVersion: .any)
            return time
        }
        XCTAssertEqual(try store.readAll().map(\.recordedAt), [decidedAt, decidedAt])
        XCTAssertEqual(decidedAt.timeIntervalSince1970, 1_800_000_000.123456, accuracy: 1e-6)
    }

    func testUnknownNewerFormatIsRefused() throws {
        do {
            let store = try openStore()
            try store.append([sampleEvent()], to: try StreamName("s"), expectedVersion: .any)
            try store.environment.write { txn in
                try txn.put(txn.table("meta"), Array("format-version".utf8), BigEndianUInt64(99))
            }
        }
        XCTAssertThrowsError(try openStore()) { error in
            XCTAssertEqual(error as? EventStoreError, .unsupportedFormat(found: 99, supported: EventStore.formatVersion, path: folder.url.path))
            XCTAssertTrue("\(error)".contains("upgrade customer-es"), "\(error)")
        }
    }

    func testInlineProjectionCommitsWithTheEventsAndRollsBackWithThem() throws {
        let projection = CountingProjection()
        let store = try openStore(projections: [projection])
        let stream = try StreamName("s")
        try store.append([sampleEvent(), sampleEvent()], to: stream, expectedVersion: .any)
        XCTAssertEqual(try store.read { try projection.count(in: $0) }, 2)
        XCTAssertEqual(try store.checkpoint(projection.name), 2)
        XCTAssertThrowsError(try store.append([sampleEvent("Poison")], to: stream, expectedVersion: .any))
        XCTAssertEqual(try store.headPosition(), 2, "a failing projection aborts the append")
        XCTAssertEqual(try store.read { try projection.count(in: $0) }, 2)
    }

    func testAProjectionAppliedAtCommitGetsTheWholeTransactionInOneBatch() throws {
        let batches = BatchLog()
        let deferred = DeferredProjection(log: batches)
        let store = try openStore(projections: [deferred])
        try store.write { writer in
            try writer.append([sampleEvent(), sampleEvent()], to: try StreamName("a"), expectedVersion: .any)
            try writer.append([sampleEvent()], to: try StreamName("b"), expectedVersion: .any)
            XCTAssertEqual(batches.sizes, [], "nothing is applied before the commit")
        }
        XCTAssertEqual(batches.sizes, [3])
        XCTAssertEqual(try store.checkpoint(deferred.name), 3)
        XCTAssertThrowsError(try store.write { writer in
            try writer.append([sampleEvent("Poison")], to: try StreamName("a"), expectedVersion: .any)
        })
        XCTAssertEqual(try store.headPosition(), 3, "a projection failing at commit aborts the whole transaction")
        XCTAssertEqual(try store.checkpoint(deferred.name), 3)
    }

    func testHotBackupWhileAnotherThreadWrites() throws {
        let store = try openStore()
        let stream = try StreamName("s")
        try store.append((0..<100).map { _ in sampleEvent() }, to: stream, expectedVersion: .any)
        let stop = Flag()
        let writerDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            while !stop.isSet { _ = try? store.append([sampleEvent()], to: stream, expectedVersion: .any) }
            writerDone.signal()
        }
        let target = folder.url.deletingLastPathComponent().appendingPathComponent("backup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: target) }
        try store.backup(to: target)
        stop.set()
        writerDone.wait()
        let copy = try EventStore(directory: target)
        let events = try copy.readAll()
        XCTAssertGreaterThanOrEqual(events.count, 100)
        XCTAssertEqual(events.map(\.position), Array(1...UInt64(events.count)), "the backup is a consistent snapshot")
    }
}

final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ value: Date) { self.value = value }
    var now: Date {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

struct CountingProjection: InlineProjection {
    let name = "counting"
    let tables = [TableSpec("counting")]
    func apply(_ event: RecordedEvent, in writer: StoreWriter) throws {
        if event.type == "Poison" { throw EventStoreError.invalidEvent("poison") }
        let table = writer.table(TableSpec("counting"))
        let current = try writer.get(table, [0]) { readBigEndianUInt64($0) } ?? 0
        try writer.put(table, [0], BigEndianUInt64(current + 1))
    }
    func count(in reader: StoreReader) throws -> UInt64 {
        try reader.get(reader.table(TableSpec("counting")), [0]) { readBigEndianUInt64($0) } ?? 0
    }
}

final class BatchLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int] = []
    var sizes: [Int] { lock.lock(); defer { lock.unlock() }; return recorded }
    func add(_ size: Int) { lock.lock(); recorded.append(size); lock.unlock() }
}

struct DeferredProjection: InlineProjection {
    let log: BatchLog
    let name = "deferred"
    let tables: [TableSpec] = []
    var appliesAtCommit: Bool { true }
    func apply(_ event: RecordedEvent, in writer: StoreWriter) throws {
        XCTFail("a projection applied at commit gets batches")
    }
    func apply(batch events: [RecordedEvent], in writer: StoreWriter) throws {
        if events.contains(where: { $0.type == "Poison" }) { throw EventStoreError.invalidEvent("poison") }
        log.add(events.count)
    }
}
