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

extension CLIOutboxTests {
    func testRetryRequeuesDeadEmailsAndNeedsIdsOrDead() throws {
        let store = CLIStore()
        try store.create("maria@example.com")
        XCTAssertEqual(try store.run(["settings", "delivery-max-attempts", "1"]).status, 0)
        let down = try store.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", String(try TestSockets.freePort())])
        XCTAssertEqual(down.status, 0, down.stderr)
        XCTAssertTrue(down.stdout.contains("0 sent, 0 failed, 1 dead"), down.stdout)

        for arguments in [["outbox", "retry"], ["outbox", "retry", "--dead", "0c5e0000-0000-0000-0000-000000000000"], ["outbox", "retry", "nope"]] {
            XCTAssertEqual(try store.run(arguments).status, 2, arguments.joined(separator: " "))
        }
        let unknown = try store.run(["outbox", "retry", UUID().uuidString])
        XCTAssertEqual(unknown.status, 1, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("no email of the outbox has this id"), unknown.stderr)

        let retried = try store.run(["outbox", "retry", "--dead", "--actor", "alice"])
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssertEqual(retried.stdout, "Requeued 1 dead email; `customer-es outbox dispatch` delivers it.\n")
        let items = try XCTUnwrap(try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["state"] as? String }, ["pending"])
        let requeued = try store.events().filter { $0["type"] as? String == "EmailRequeued" }
        XCTAssertEqual(requeued.count, 1)
        XCTAssertTrue("\(requeued)".contains("alice"), "\(requeued)")
        let sent = try store.run(["outbox", "dispatch"])
        XCTAssertTrue(sent.stdout.contains("1 sent"), sent.stdout)
    }
}
