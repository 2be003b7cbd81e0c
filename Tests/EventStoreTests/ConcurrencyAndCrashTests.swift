@testable import EventStore
import Foundation
import TestSupport
import XCTest

/// Checks the invariants every test here relies on: positions 1…head with no gap, each stream's versions 1…n
/// in log order, and every event exactly once.
func assertLogIsConsistent(_ store: EventStore, file: StaticString = #filePath, line: UInt = #line) throws -> [RecordedEvent] {
    let all = try store.readAll()
    XCTAssertEqual(all.map(\.position), Array(stride(from: UInt64(1), through: UInt64(all.count), by: 1)), "global log has a gap", file: file, line: line)
    var versions: [StreamName: UInt64] = [:]
    for event in all {
        let expected = (versions[event.stream] ?? 0) + 1
        XCTAssertEqual(event.version, expected, "stream \(event.stream) is not contiguous at \(event.position)", file: file, line: line)
        versions[event.stream] = event.version
    }
    XCTAssertEqual(Set(all.map(\.eventID)).count, all.count, "an event was doubled", file: file, line: line)
    for (stream, version) in versions {
        XCTAssertEqual(try store.read { try $0.currentVersion(of: stream) }, version, file: file, line: line)
    }
    return all
}

final class ConcurrencyAndCrashTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("concurrency") }
    override func tearDown() { folder = nil }

    func testManyThreadsAppendingToSameAndDifferentStreams() throws {
        let store = try EventStore(directory: folder.url)
        let shared = try StreamName("shared")
        let threads = 6, appendsPerThread = 150
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let own = try! StreamName("own-\(thread)")
            for index in 0..<appendsPerThread {
                let target = index % 2 == 0 ? shared : own
                do {
                    try store.append([sampleEvent(), sampleEvent()], to: target, expectedVersion: .any)
                } catch {
                    XCTFail("append failed: \(error)")
                }
            }
        }
        let all = try assertLogIsConsistent(store)
        XCTAssertEqual(all.count, threads * appendsPerThread * 2)
    }

    func testOptimisticConcurrencyLetsExactlyOneWriterWin() throws {
        let store = try EventStore(directory: folder.url)
        let stream = try StreamName("contended")
        try store.append([sampleEvent()], to: stream, expectedVersion: .noStream)
        let winners = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if (try? store.append([sampleEvent()], to: stream, expectedVersion: .exact(1))) != nil { winners.increment() }
        }
        XCTAssertEqual(winners.value, 1)
        XCTAssertEqual(try store.read { try $0.currentVersion(of: stream) }, 2)
    }

    func testSeveralProcessesAppendingAtOnce() throws {
        let worker = builtProduct("eventstore-worker")
        _ = try EventStore(directory: folder.url)  // create it once, so the children race only on appends
        let children = try (0..<4).map { index in
            try RunningProcess(worker, [folder.url.path, index % 2 == 0 ? "shared" : "own-\(index)", "60", "5"])
        }
        for child in children {
            XCTAssertEqual(child.waitForExit(timeout: 120), 0, "worker failed")
            XCTAssertEqual(child.lines.count, 60)
        }
        let store = try EventStore(directory: folder.url)
        let all = try assertLogIsConsistent(store)
        XCTAssertEqual(all.count, 4 * 60 * 5)
        try assertBatchesAreWhole(all)
    }

    func testKillMinus9NeverLosesACommittedBatchNorLeavesAPartialOne() throws {
        let worker = builtProduct("eventstore-worker")
        var generator = SystemRandomNumberGenerator()
        var reportedTotal = 0
        for round in 0..<12 {
            let child = try RunningProcess(worker, [folder.url.path, "crash-\(round % 3)", "0", "50", "200"])
            usleep(UInt32.random(in: 30_000...250_000, using: &generator))
            child.kill9()
            let reported = child.lines.compactMap { line -> (Int, UInt64, UInt64)? in
                let parts = line.split(separator: " ")
                guard parts.count == 4, parts[0] == "committed", let batch = Int(parts[1]),
                      let first = UInt64(parts[2]), let last = UInt64(parts[3]) else { return nil }
                return (batch, first, last)
            }
            reportedTotal += reported.count
            let store = try EventStore(directory: folder.url)
            let all = try assertLogIsConsistent(store)
            for (batch, first, last) in reported {
                XCTAssertLessThanOrEqual(last, UInt64(all.count), "round \(round): batch \(batch) was reported committed but is gone")
                XCTAssertEqual(last - first + 1, 50)
            }
            try assertBatchesAreWhole(all)
        }
        XCTAssertGreaterThan(reportedTotal, 0, "the children never got to commit: the test proved nothing")
    }

    func testAReaderSlotLeftByAKilledProcessIsCleared() throws {
        let store = try EventStore(directory: folder.url)
        let child = try RunningProcess(builtProduct("eventstore-worker"), ["hold-read", folder.url.path])
        let deadline = Date().addingTimeInterval(20)
        while !child.lines.contains("reading") && Date() < deadline { usleep(10_000) }
        XCTAssertTrue(child.lines.contains("reading"), "the child never opened its read transaction")
        child.kill9()
        XCTAssertEqual(store.environment.clearStaleReaders(), 1, "the dead child's reader slot must be freed")
        XCTAssertEqual(store.environment.clearStaleReaders(), 0)
    }

    /// Every worker batch (same pid and batch number) is present with all its events, contiguous in the log.
    private func assertBatchesAreWhole(_ events: [RecordedEvent], file: StaticString = #filePath, line: UInt = #line) throws {
        var batches: [String: [Int]] = [:]
        var sizes: [String: Int] = [:]
        for event in events {
            let fields = String(decoding: event.payload, as: UTF8.self).split(separator: " ")
            guard fields.count >= 4, let index = Int(fields[2]), let size = Int(fields[3].prefix { $0.isNumber }) else {
                XCTFail("unexpected payload at \(event.position)", file: file, line: line)
                continue
            }
            let key = "\(fields[0])/\(fields[1])"
            batches[key, default: []].append(index)
            sizes[key] = size
        }
        for (key, indexes) in batches {
            XCTAssertEqual(indexes, Array(0..<(sizes[key] ?? 0)), "batch \(key) is partial", file: file, line: line)
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func increment() { lock.lock(); count += 1; lock.unlock() }
}
