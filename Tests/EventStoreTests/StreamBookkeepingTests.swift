import CompactCodec
@testable import EventStore
import Foundation
import TestSupport
import XCTest

/// How the log keeps track of streams (format 3): a new stream is one `streams` entry holding its first run,
/// each later append one `stream_index` entry, and no counter in `meta`; stores of format 2 read as they are
/// and are relabelled by their first append; stores of format 1 keep the bookkeeping older builds read.
final class StreamBookkeepingTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("bookkeeping") }
    override func tearDown() { folder = nil }

    private static let counterKey = Array("next-stream-number".utf8)

    private struct Tables {
        let streamValueSizes: [String: Int]
        let indexEntries: Int
        let counter: UInt64?
        let format: UInt32
    }

    private func tables(_ store: EventStore) throws -> Tables {
        try store.environment.read { txn in
            var sizes: [String: Int] = [:]
            try txn.withCursor(txn.table("streams")) { cursor in
                var positioned = try cursor.first()
                while positioned {
                    sizes[String(decoding: cursor.key, as: UTF8.self)] = cursor.value.count
                    positioned = try cursor.next()
                }
            }
            return Tables(
                streamValueSizes: sizes, indexEntries: try txn.count(txn.table("stream_index")),
                counter: try txn.get(txn.table("meta"), Self.counterKey) { readBigEndianUInt64($0) },
                format: try txn.get(txn.table("meta"), Array("format-version".utf8)) { UInt32(readBigEndianUInt64($0)) } ?? 0)
        }
    }

    private func ids(_ events: [RecordedEvent]) -> [UUID] { events.map(\.eventID) }

    func testANewStreamIsOneStreamsEntryAndEachLaterAppendOneIndexEntry() throws {
        let store = try EventStore(directory: folder.url)
        let a = try StreamName("a"), b = try StreamName("b")
        let first = [sampleEvent(), sampleEvent()]
        let second = [sampleEvent()]
        let third = [sampleEvent(), sampleEvent(), sampleEvent()]
        try store.append(first, to: a, expectedVersion: .noStream)
        try store.append([sampleEvent()], to: b, expectedVersion: .noStream)
        let created = try tables(store)
        XCTAssertEqual(created.streamValueSizes, ["a": 24, "b": 24])
        XCTAssertEqual(created.indexEntries, 0, "a new stream's first run lives in its entry")
        XCTAssertNil(created.counter, "no stream counter is kept")
        XCTAssertEqual(created.format, EventStore.formatVersion)

        try store.append(second, to: a, expectedVersion: .exact(2))
        try store.append(third, to: a, expectedVersion: .exact(3))
        XCTAssertEqual(try tables(store).indexEntries, 2)
        XCTAssertEqual(try tables(store).streamValueSizes, ["a": 24, "b": 24], "later appends leave the entry alone")

        let all = first + second + third
        XCTAssertEqual(try store.read { try $0.currentVersion(of: a) }, 6)
        XCTAssertEqual(ids(try store.readStream(a)), all.map(\.eventID))
        XCTAssertEqual(try store.readStream(a).map(\.version), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(ids(try store.readStream(a, direction: .backward)), all.reversed().map(\.eventID))
        XCTAssertEqual(try store.readStream(a, from: 2, limit: 3).map(\.version), [2, 3, 4])
        XCTAssertEqual(try store.readStream(a, from: 4, direction: .backward, limit: 3).map(\.version), [4, 3, 2])
        XCTAssertEqual(try store.readStream(a).map(\.position), [1, 2, 4, 5, 6, 7])

        XCTAssertThrowsError(try store.append([sampleEvent()], to: a, expectedVersion: .exact(2))) { error in
            XCTAssertEqual(error as? EventStoreError, .wrongExpectedVersion(stream: a, expected: .exact(2), actual: 6))
        }
        let retriedFirst = try store.append(first, to: a, expectedVersion: .noStream)
        XCTAssertTrue(retriedFirst.wasAlreadyAppended, "a retry of the first run is found in the entry")
        XCTAssertEqual([retriedFirst.firstPosition, retriedFirst.lastPosition], [1, 2])
        let retriedThird = try store.append(third, to: a, expectedVersion: .exact(3))
        XCTAssertTrue(retriedThird.wasAlreadyAppended)
        XCTAssertEqual([retriedThird.firstPosition, retriedThird.lastPosition], [5, 7])
        XCTAssertEqual(try store.headPosition(), 7, "retries write nothing")
    }

    func testStreamsCreatedInOneTransactionGetNumbersOfTheirOwn() throws {
        let store = try EventStore(directory: folder.url)
        let names = try (0..<5).map { try StreamName("s-\($0)") }
        try store.write { writer in
            for name in names { try writer.append([sampleEvent()], to: name, expectedVersion: .noStream) }
            for name in names { try writer.append([sampleEvent()], to: name, expectedVersion: .exact(1)) }
        }
        for name in names.prefix(2) { try store.append([sampleEvent()], to: name, expectedVersion: .exact(2)) }
        let numbers = try store.read { reader in try names.map { try XCTUnwrap(reader.streamEntry($0)).number } }
        XCTAssertEqual(numbers, [1, 2, 3, 4, 5])
        for (offset, name) in names.enumerated() {
            XCTAssertEqual(try store.readStream(name).map(\.position), offset < 2 ? [UInt64(offset + 1), UInt64(offset + 6), UInt64(offset + 11)] : [UInt64(offset + 1), UInt64(offset + 6)])
        }
    }

    /// Writes a store the way builds of format 1 and 2 did: every run in the index, versions in `streams`, the
    /// counter in `meta` (the bookkeeping this build keeps for a store of format 1).
    private func writeOlderStore(recording format: UInt32) throws -> [StreamName: [UUID]] {
        let store = try EventStore(directory: folder.url)
        try store.write { try $0.recordFormatVersion(1) }
        let a = try StreamName("a"), b = try StreamName("b")
        let events = [a: [sampleEvent(), sampleEvent()], b: [sampleEvent()]]
        try store.append(try XCTUnwrap(events[a]), to: a, expectedVersion: .noStream)
        try store.append(try XCTUnwrap(events[b]), to: b, expectedVersion: .noStream)
        try store.write { try $0.recordFormatVersion(format) }
        return events.mapValues { $0.map(\.eventID) }
    }

    func testAFormatOneStoreKeepsTheBookkeepingThatOlderBuildsRead() throws {
        let written = try writeOlderStore(recording: 1)
        let store = try EventStore(directory: folder.url)
        let a = try StreamName("a")
        try store.append([sampleEvent()], to: a, expectedVersion: .exact(2))
        try store.append([sampleEvent()], to: try StreamName("c"), expectedVersion: .noStream)
        let state = try tables(store)
        XCTAssertEqual(state.format, 1, "only migrate changes a store of format 1")
        XCTAssertEqual(state.streamValueSizes, ["a": 16, "b": 16, "c": 16])
        XCTAssertEqual(state.indexEntries, 4, "every run in the index")
        XCTAssertEqual(state.counter, 4)
        let versionInEntry = try store.environment.read { txn in
            try txn.get(txn.table("streams"), Array("a".utf8)) { readBigEndianUInt64($0, at: 8) }
        }
        XCTAssertEqual(versionInEntry, 3, "the entry's version is kept up to date")
        XCTAssertEqual(Array(ids(try store.readStream(a)).prefix(2)), written[a])
    }

    func testAFormatTwoStoreReadsAsItIsAndItsFirstAppendRelabelsIt() throws {
        let written = try writeOlderStore(recording: 2)
        let store = try EventStore(directory: folder.url)
        let a = try StreamName("a"), b = try StreamName("b"), c = try StreamName("c")
        XCTAssertEqual(ids(try store.readStream(a)), written[a])
        XCTAssertEqual(try store.read { try $0.currentVersion(of: b) }, 1)
        XCTAssertEqual(try tables(store).format, 2, "reading changes nothing")

        let appended = sampleEvent()
        try store.append([appended], to: a, expectedVersion: .exact(2))
        try store.append([sampleEvent(), sampleEvent()], to: c, expectedVersion: .noStream)
        try store.append([sampleEvent()], to: a, expectedVersion: .exact(3))
        let state = try tables(store)
        XCTAssertEqual(state.format, EventStore.formatVersion, "builds that know only format 2 now refuse the store")
        XCTAssertEqual(state.streamValueSizes, ["a": 16, "b": 16, "c": 24])
        XCTAssertEqual(state.indexEntries, 4, "the two older runs and a's two new ones")
        XCTAssertEqual(try store.read { try $0.currentVersion(of: a) }, 4, "the version comes from the index, not the stale entry")
        XCTAssertEqual(try store.readStream(a).map(\.version), [1, 2, 3, 4])
        XCTAssertEqual(try store.readStream(a)[2].eventID, appended.eventID)
        XCTAssertEqual(try store.read { try XCTUnwrap($0.streamEntry(c)).number }, 3, "numbers go on after the older streams'")
        XCTAssertEqual(try store.readStream(c).map(\.position), [5, 6])
        XCTAssertEqual(try store.readStream(b).count, 1)
    }
}
