import Foundation
import TestSupport
import XCTest

/// `outbox dispatch` and `outbox retry` end to end.
final class CLIOutboxTests: XCTestCase {
    func testDispatchIntoAFileOrADanglingLinkIsAUsageErrorThatWritesNothing() throws {
        let store = CLIStore()
        try store.create("maria@example.com")
        let file = store.folder.path("mail-file")
        XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
        let link = store.folder.path("mail-link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: store.folder.path("gone").path)
        let before = try store.eventCount()
        for dir in [file, link] {
            let output = try store.run(["outbox", "dispatch", "--dir", dir.path])
            XCTAssertEqual(output.status, 2, output.stderr)
            XCTAssertTrue(output.stderr.contains(dir.path), output.stderr)
            XCTAssertTrue(output.stderr.contains("file transport cannot be used"), output.stderr)
        }
        XCTAssertEqual(try store.eventCount(), before, "no attempt was recorded")
        let list = try store.run(["outbox", "list", "--json"])
        let items = try XCTUnwrap(try jsonObject(list.stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["attempts"] as? Int }, [0])
    }
}
