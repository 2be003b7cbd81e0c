@testable import EventStore
import Foundation
import TestSupport
import XCTest

/// What caches of read results rely on: equal snapshot identities see the same committed bytes. A commit makes a
/// new identity; so does a replaced data file, although LMDB counts transaction ids again from its copy; another
/// environment never shares one; and the write transaction, whose data changes as it writes, has none.
final class SnapshotIdentityTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var otherFolder: TemporaryDirectory!
    override func setUp() {
        folder = TemporaryDirectory("snapshot")
        otherFolder = TemporaryDirectory("snapshot-other")
    }
    override func tearDown() {
        folder = nil
        otherFolder = nil
    }

    private func open(_ folder: TemporaryDirectory) throws -> Environment {
        try Environment.open(directory: folder.url, configuration: .init(tables: [TableSpec("kv")]))
    }

    private func identity(_ env: Environment) throws -> SnapshotIdentity {
        try XCTUnwrap(try env.read { $0.snapshotIdentity })
    }

    func testACommitOrAReplacedDataFileMakesANewIdentityAndAWriteHasNone() throws {
        let env = try open(folder)
        let kv = env.table("kv")
        for index in 0..<5 { try env.write { try $0.put(kv, [UInt8(index)], [UInt8(index)]) } }
        let before = try identity(env)
        XCTAssertEqual(try identity(env), before, "two reads of one committed state")
        try env.write { txn in
            XCTAssertNil(txn.snapshotIdentity, "the write transaction's data is still changing")
            try txn.put(kv, [9], [9])
        }
        let committed = try identity(env)
        XCTAssertNotEqual(committed, before)

        // A compacted copy starts its transaction ids again: the identity must still be new, also once as many
        // commits have followed as the old file had.
        let copy = folder.url.appendingPathComponent(".copy")
        try env.replaceDataFile(withScrubbedCopyIn: copy) {
            XCTAssertEqual(rename(copy.path + "/data.mdb", folder.url.path + "/data.mdb"), 0)
        }
        var seen: Set<SnapshotIdentity> = [before, committed]
        for index in 0..<8 {
            let now = try identity(env)
            XCTAssertFalse(seen.contains(now), "identity \(now) after the replacement was one of the old file's")
            seen.insert(now)
            try env.write { try $0.put(kv, [UInt8(20 + index)], [1]) }
        }
        XCTAssertEqual(try env.read { try $0.value(kv, [9]) }, [9], "the copy holds the data")

        let other = try open(otherFolder)
        XCTAssertFalse(seen.contains(try identity(other)), "another environment's snapshot")
    }
}
