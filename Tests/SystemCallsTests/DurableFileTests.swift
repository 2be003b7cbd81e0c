import Foundation
import SystemCalls
import TestSupport
import XCTest

final class DurableFileTests: XCTestCase {
    private let folder = TemporaryDirectory("durable-file")

    func testWriteReplacesTheFileWithMode0600UnderAnyUmaskAndLeavesNoTemporaryFile() throws {
        let path = folder.path("a.txt").path
        let previous = umask(0)
        defer { umask(previous) }
        try DurableFile.write(Array("first".utf8), to: path)
        try DurableFile.write(Array("second".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "second")
        XCTAssertEqual(try permissionBits(of: path), 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), ["a.txt"])
    }

    func testCreateKeepsTheFirstWritersBytes() throws {
        let path = folder.path("key").path
        XCTAssertTrue(try DurableFile.create([1, 2, 3], at: path))
        XCTAssertFalse(try DurableFile.create([9, 9], at: path))
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: path))), [1, 2, 3])
        XCTAssertEqual(try permissionBits(of: path), 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), ["key"])
    }

    func testAFailedWriteIsASystemCallErrorNamingTheCallAndPath() throws {
        let path = folder.path("missing/a.txt").path
        XCTAssertThrowsError(try DurableFile.write([1], to: path)) { error in
            guard let failure = error as? SystemCallError else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.call, "create")
            XCTAssertEqual(failure.errno, ENOENT)
            XCTAssertTrue(failure.path?.hasPrefix(self.folder.path("missing").path + "/.a.txt.") ?? false, "\(failure)")
            XCTAssertTrue(failure.description.contains("No such file or directory (errno \(ENOENT))"), failure.description)
        }
    }

    func testPrivateFolderIsCreatedWithMode0700UnderAnyUmaskWithItsParents() throws {
        let previous = umask(0o222)
        defer { umask(previous) }
        let nested = folder.path("one/two").path
        try PrivateFolder.create(at: nested)
        XCTAssertEqual(try permissionBits(of: nested), 0o700)
        XCTAssertEqual(try permissionBits(of: folder.path("one").path), 0o700)
        try PrivateFolder.create(at: nested)  // already there: fine
        let file = folder.path("file").path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        XCTAssertThrowsError(try PrivateFolder.create(at: file + "/sub")) { error in
            XCTAssertEqual((error as? SystemCallError)?.errno, ENOTDIR, "\(error)")
        }
    }

    func testRemovesOnlyOldTemporaryFilesOfDeadProcesses() throws {
        let dead = try deadProcessID()
        let names = [
            "stale": ".a.eml.\(dead).123.tmp",
            "fresh": ".b.eml.\(dead).456.tmp",
            "live": ".c.eml.\(getpid()).789.tmp",
            "other": "d.eml",
        ]
        for name in names.values {
            XCTAssertTrue(FileManager.default.createFile(atPath: folder.path(name).path, contents: Data("x".utf8)))
        }
        let old = Date().addingTimeInterval(-120)
        for key in ["stale", "live", "other"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder.path(names[key]!).path)
        }
        XCTAssertEqual(try TemporaryName.removeStale(in: folder.url.path), [names["stale"]!])
        XCTAssertEqual(
            Set(try FileManager.default.contentsOfDirectory(atPath: folder.url.path)),
            [names["fresh"]!, names["live"]!, names["other"]!])
        XCTAssertEqual(try TemporaryName.removeStale(in: folder.path("absent").path), [])
    }

    func testRetryingOnInterruptRepeatsOnlyEINTR() {
        var calls = 0
        let result = SystemCall.retryingOnInterrupt { () -> Int32 in
            calls += 1
            if calls < 3 { errno = EINTR; return -1 }
            return 7
        }
        XCTAssertEqual(result, 7)
        XCTAssertEqual(calls, 3)
        var failures = 0
        let failed = SystemCall.retryingOnInterrupt { () -> Int32 in
            failures += 1
            errno = EACCES
            return -1
        }
        XCTAssertEqual(failed, -1)
        XCTAssertEqual(failures, 1)
    }
}
