import CompactCodec
import CLMDB
@testable import EventStore
import Foundation
import TestSupport
import XCTest

final class LMDBLayerTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("lmdb") }
    override func tearDown() { folder = nil }

    private func open(mapSize: Int = 1 << 30, tables: [TableSpec] = [TableSpec("kv"), TableSpec("dups", flags: [.duplicateSort, .duplicateFixed])]) throws -> Environment {
        try Environment.open(directory: folder.url, configuration: .init(initialMapSize: mapSize, tables: tables))
    }

    func testPutGetDeleteAndAbortOnThrow() throws {
        let env = try open()
        let kv = env.table("kv")
        try env.write { txn in try txn.put(kv, Array("a".utf8), Array("1".utf8)) }
        struct Boom: Error {}
        XCTAssertThrowsError(try env.write { txn in
            try txn.put(kv, Array("b".utf8), Array("2".utf8))
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        try env.read { txn in
            XCTAssertEqual(try txn.value(kv, Array("a".utf8)), Array("1".utf8))
            XCTAssertNil(try txn.value(kv, Array("b".utf8)), "a throwing write must leave nothing behind")
        }
        XCTAssertTrue(try env.write { try $0.delete(kv, Array("a".utf8)) })
        XCTAssertFalse(try env.write { try $0.delete(kv, Array("a".utf8)) })
        XCTAssertEqual(try env.read { try $0.count(kv) }, 0)
    }

    func testSameEnvironmentInstancePerPath() throws {
        let first = try open()
        let second = try Environment.open(directory: folder.url.appendingPathComponent("."), configuration: .init(tables: [TableSpec("kv")]))
        XCTAssertTrue(first === second, "one LMDB environment per path per process")
        // Every table is opened at start-up: a later open may not add one.
        XCTAssertThrowsError(try Environment.open(directory: folder.url, configuration: .init(tables: [TableSpec("other")]))) { error in
            XCTAssertTrue("\(error)".contains("other were not declared"), "\(error)")
        }
        XCTAssertFalse(first.hasTable(named: "other"))
    }

    func testTypedErrorNamesTheCallAndTheTable() throws {
        let env = try open()
        let kv = env.table("kv")
        let tooLong = [UInt8](repeating: 0x61, count: 512)
        XCTAssertThrowsError(try env.write { try $0.put(kv, tooLong, [1]) }) { error in
            guard let error = error as? LMDBError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .badValueSize)
            XCTAssertEqual(error.function, "mdb_put")
            XCTAssertTrue(error.description.contains("table kv"), error.description)
        }
        XCTAssertThrowsError(try env.write { try $0.put(kv, [UInt8](), [1]) }) { error in
            XCTAssertEqual((error as? LMDBError)?.code, .badValueSize)
        }
        XCTAssertThrowsError(try env.write { txn in
            try txn.put(kv, [1], [1])
            try txn.put(kv, [1], [2], options: .noOverwrite)
        }) { XCTAssertEqual(($0 as? LMDBError)?.code, .keyExists) }
    }

    func testCursorSeeksAndDuplicates() throws {
        let env = try open()
        let kv = env.table("kv")
        let dups = env.table("dups")
        try env.write { txn in
            for value: UInt64 in [10, 20, 30] { try txn.put(kv, BigEndianUInt64(value), [UInt8(value)]) }
            for value: UInt64 in [3, 1, 2] { try txn.put(dups, [7], BigEndianUInt64(value)) }
        }
        try env.read { txn in
            try txn.withCursor(kv) { cursor in
                XCTAssertTrue(try cursor.seek(atOrAfter: BigEndianUInt64(15)))
                XCTAssertEqual(readBigEndianUInt64(cursor.key), 20)
                XCTAssertTrue(try cursor.seek(atOrBefore: BigEndianUInt64(25)))
                XCTAssertEqual(readBigEndianUInt64(cursor.key), 20)
                XCTAssertTrue(try cursor.seek(atOrBefore: BigEndianUInt64(99)))
                XCTAssertEqual(readBigEndianUInt64(cursor.key), 30)
                XCTAssertFalse(try cursor.seek(atOrAfter: BigEndianUInt64(31)))
                XCTAssertFalse(try cursor.seek(atOrBefore: BigEndianUInt64(5)))
                XCTAssertTrue(try cursor.seek(exactly: BigEndianUInt64(10)))
                XCTAssertTrue(try cursor.previous() == false)
            }
            try txn.withCursor(dups) { cursor in
                XCTAssertTrue(try cursor.seek(exactly: [UInt8(7)]))
                XCTAssertEqual(try cursor.duplicateCount(), 3)
                var seen: [UInt64] = [readBigEndianUInt64(cursor.value)]
                while try cursor.nextDuplicate() { seen.append(readBigEndianUInt64(cursor.value)) }
                XCTAssertEqual(seen, [1, 2, 3], "duplicates come back sorted")
            }
        }
    }

    func testMapGrowsFarPastItsInitialSize() throws {
        let env = try open(mapSize: 1 << 20)  // 1 MiB
        let kv = env.table("kv")
        let value = [UInt8](repeating: 0xAB, count: 4000)
        // 40 MB in batches: every batch past the first few MiB hits MDB_MAP_FULL and is replayed whole.
        for batch in 0..<20 {
            try env.write { txn in
                for index in 0..<500 { try txn.put(kv, BigEndianUInt64(UInt64(batch * 500 + index)), value) }
            }
        }
        XCTAssertGreaterThan(env.usage().mapSize, 40 << 20)
        XCTAssertEqual(try env.read { try $0.count(kv) }, 10_000)
        try env.read { txn in
            XCTAssertEqual(try txn.value(kv, BigEndianUInt64(9_999)), value)
        }
    }

    func testReadersSeeASnapshotWhileAWriterCommits() throws {
        let env = try open()
        let kv = env.table("kv")
        try env.write { try $0.put(kv, [1], [1]) }
        try env.read { txn in
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                try? env.write { try $0.put(kv, [1], [2]) }
                done.signal()
            }
            XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "a reader must never block the writer")
            XCTAssertEqual(try txn.value(kv, [1]), [1], "the open snapshot does not move")
        }
        XCTAssertEqual(try env.read { try $0.value(kv, [1]) }, [2])
    }

    func testHotBackupIntoEmptyFolderOnly() throws {
        let env = try open()
        let kv = env.table("kv")
        try env.write { try $0.put(kv, [1], [42]) }
        let target = folder.path("backup")
        try env.copy(to: target)
        XCTAssertTrue(FileManager.default.fileExists(atPath: target.appendingPathComponent("data.mdb").path))
        XCTAssertThrowsError(try env.copy(to: target)) { error in
            XCTAssertTrue("\(error)".contains("not empty"), "\(error)")
        }
    }
}
