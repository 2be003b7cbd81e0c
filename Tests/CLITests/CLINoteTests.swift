import Foundation
import TestSupport
import XCTest

/// `note add/list/withdraw`: through the binary, against a real store.
final class CLINoteTests: XCTestCase {
    private func notes(_ store: CLIStore, _ customer: String, all: Bool = false) throws -> [[String: Any]] {
        let output = try store.run(["note", "list", customer, "--json"] + (all ? ["--all"] : []))
        XCTAssertEqual(output.status, 0, output.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
    }

    func testNotesHaveAuthorAndTimeAndWithdrawalKeepsWhoDidIt() throws {
        let store = CLIStore()
        let reference = try store.create("maria@example.com")
        let add = try store.run(["--actor", "alice", "note", "add", reference, "--message", "  Called about the invoice\nwill call back  "])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertTrue(add.stdout.contains("Note N1 was added."), add.stdout)
        XCTAssertEqual(try store.run(["--actor", "carol", "note", "add", "maria@example.com", "--message", "VIP"]).status, 0)
        Thread.sleep(forTimeInterval: 0.01)
        let beforeWithdrawal = ISO.format(Date())
        Thread.sleep(forTimeInterval: 0.01)

        var listed = try notes(store, reference)
        XCTAssertEqual(listed.map { $0["id"] as? String }, ["N1", "N2"])
        XCTAssertEqual(listed[0]["message"] as? String, "Called about the invoice\nwill call back")
        XCTAssertEqual(listed[0]["author"] as? String, "alice")
        XCTAssertNotNil(ISO.parse(listed[0]["addedAt"] as? String))

        let withdraw = try store.run(["--actor", "bob", "note", "withdraw", reference, "N1", "--reason", "wrong customer"])
        XCTAssertEqual(withdraw.status, 0, withdraw.stderr)
        XCTAssertTrue(withdraw.stdout.contains("Note N1 was withdrawn."), withdraw.stdout)
        listed = try notes(store, reference)
        XCTAssertEqual(listed.map { $0["id"] as? String }, ["N2"])
        let all = try notes(store, reference, all: true)
        XCTAssertEqual(all.first?["withdrawnBy"] as? String, "bob")
        XCTAssertEqual(all.first?["withdrawalReason"] as? String, "wrong customer")

        let shown = try store.show(reference)
        XCTAssertEqual((shown["notes"] as? [[String: Any]])?.map { $0["id"] as? String }, ["N2"], "show lists live notes")
        let past = try store.show(reference, asOf: beforeWithdrawal)
        XCTAssertEqual((past["notes"] as? [[String: Any]])?.map { $0["author"] as? String }, ["alice", "carol"])
        let text = try store.run(["show", reference])
        XCTAssertTrue(text.stdout.contains("by carol") && text.stdout.contains("VIP"), text.stdout)
        XCTAssertFalse(text.stdout.contains("Called about"), text.stdout)
        let listText = try store.run(["note", "list", reference, "--all"])
        XCTAssertTrue(listText.stdout.contains("(withdrawn ") && listText.stdout.contains("by bob: wrong customer)"), listText.stdout)
        XCTAssertTrue(listText.stdout.contains("\n    will call back\n"), listText.stdout)

        let history = try store.run(["history", reference])
        XCTAssertTrue(history.stdout.contains("NoteAdded  by alice"), history.stdout)
        XCTAssertTrue(history.stdout.contains("Note N1 added by alice: Called about the invoice…"), history.stdout)
        XCTAssertTrue(history.stdout.contains("NoteWithdrawn  by bob"), history.stdout)
        XCTAssertTrue(history.stdout.contains("notes.N1.withdrawnBy: — → bob"), history.stdout)
        let events = try store.events()
        let added = try XCTUnwrap(events.first { $0["type"] as? String == "NoteAdded" }?["data"] as? [String: Any])
        XCTAssertEqual(added["author"] as? String, "alice")
        XCTAssertEqual(added["noteId"] as? String, "N1")
        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testBadNotesAreRefusedAndNothingIsWritten() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        XCTAssertEqual(try store.run(["note", "add", reference, "--message", "first"]).status, 0)
        XCTAssertEqual(try store.run(["note", "withdraw", reference, "N1"]).status, 0)
        let before = try store.eventLogText()
        let cases: [([String], Int32, String)] = [
            (["note", "add", reference, "--message", "   "], 1, "Message is required"),
            (["note", "add", reference, "--message", String(repeating: "x", count: 5_001)], 1, "at most 5000 characters"),
            (["note", "add", reference, "--message", "bell\u{07}"], 1, "control characters"),
            (["note", "add", reference], 2, "--message"),
            (["note", "add", "DE--99", "--message", "x"], 1, "DE--99"),
            (["note", "withdraw", reference, "N1"], 1, "already withdrawn"),
            (["note", "withdraw", reference, "N7"], 1, "no note N7"),
            (["note", "withdraw", reference, "N1x"], 1, "no note N1x"),
            (["note", "list", "nobody@example.com"], 1, "nobody@example.com"),
        ]
        for (arguments, status, message) in cases {
            let output = try store.run(arguments)
            XCTAssertEqual(output.status, status, "\(arguments): \(output.stdout) \(output.stderr)")
            XCTAssertTrue(output.stderr.contains(message), "\(arguments): \(output.stderr)")
        }
        XCTAssertEqual(try store.eventLogText(), before, "nothing written by any refused command")
        let fiveThousand = try store.run(["note", "add", reference, "--message", String(repeating: "ü", count: 5_000)])
        XCTAssertEqual(fiveThousand.status, 0, fiveThousand.stderr)
    }
}
