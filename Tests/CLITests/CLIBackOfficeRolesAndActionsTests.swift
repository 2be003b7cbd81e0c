import Foundation
import TestSupport
import XCTest

/// The back office through a real `serve` and a real client: the admin pages are for admins only, a customer
/// action needs this session's CSRF token (otherwise 403 and nothing written), "Retry" on the Outbox page
/// requeues a dead email, and the Audit names the signed-in operator as the actor of a status change.
extension CLIBackOfficePagesTests {
    func testAgentsAreRefusedTheAdminPagesAndANoteWithoutThisSessionsTokenWritesNothing() throws {
        let store = CLIStore()
        try addOperator(store, "alice", role: "agent")
        try addOperator(store, "root", role: "admin")
        try store.create("maria@example.com")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let alice = try signIn(server, "alice"), root = try signIn(server, "root")
        for path in ["/backoffice/settings", "/backoffice/operators"] {
            XCTAssertEqual(try page(server, path, alice).status, 403, "an agent: \(path)")
            XCTAssertEqual(try page(server, path, root).status, 200, "an admin: \(path)")
        }

        let customerPage = try page(server, "/backoffice/customers/DE--1", alice)
        XCTAssertEqual(customerPage.status, 200)
        let aliceToken = try XCTUnwrap(csrf(in: customerPage.body))
        let rootToken = try XCTUnwrap(csrf(in: try page(server, "/backoffice/customers/DE--1", root).body))
        XCTAssertNotEqual(aliceToken, rootToken)
        let before = try store.run(["--json", "history", "DE--1"])
        XCTAssertEqual(before.status, 0, before.stderr)
        let note = [("_request", "note-1"), ("message", "Called about the invoice")]
        XCTAssertEqual(try post(server, "/backoffice/customers/DE--1/note", note, alice).status, 403, "no token")
        XCTAssertEqual(try post(server, "/backoffice/customers/DE--1/note", note + [("_csrf", rootToken)], alice).status, 403,
                       "another session's token")
        XCTAssertEqual(try store.run(["--json", "history", "DE--1"]).stdout, before.stdout, "nothing written")

        let noted = try post(server, "/backoffice/customers/DE--1/note", note + [("_csrf", aliceToken)], alice)
        XCTAssertEqual(noted.status, 303, noted.body)
        let after = try store.run(["--json", "history", "DE--1"]).stdout
        XCTAssertTrue(after.contains("Called about the invoice") && after.contains("\"actor\":\"operator:alice\""), after)
    }

    func testRetryOnTheOutboxPageRequeuesADeadEmailRecordedWithTheOperator() throws {
        let store = CLIStore()
        try addOperator(store, "alice", role: "agent")
        try store.create("maria@example.com")
        // One attempt allowed, against a port where nothing listens: the email is dead.
        XCTAssertEqual(try store.run(["settings", "delivery-max-attempts", "1"]).status, 0)
        let down = try store.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", String(try TestSockets.freePort())])
        XCTAssertTrue(down.stdout.contains("0 sent, 0 failed, 1 dead"), down.stdout)
        let dead = try XCTUnwrap(try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(dead.map { $0["state"] as? String }, ["dead"])
        let id = try XCTUnwrap(dead.first?["id"] as? String)

        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let alice = try signIn(server, "alice")
        let outbox = try page(server, "/backoffice/outbox?state=dead", alice)
        XCTAssertEqual(outbox.status, 200)
        XCTAssertTrue(outbox.body.contains("<input type=\"hidden\" name=\"id\" value=\"\(id)\">"), "a Retry form for the dead email: \(outbox.body)")
        let token = try XCTUnwrap(csrf(in: outbox.body))
        let retried = try post(server, "/backoffice/outbox/retry", [("_csrf", token), ("id", id)], alice)
        XCTAssertEqual(retried.status, 303, retried.body)
        XCTAssertEqual(retried.header("Location"), "/backoffice/outbox?done=retried")

        let items = try XCTUnwrap(try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["state"] as? String }, ["pending"])
        XCTAssertEqual(items.map { $0["attempts"] as? Int }, [0], "its attempts start again")
        let requeued = try store.events().filter { $0["type"] as? String == "EmailRequeued" }
        XCTAssertEqual(requeued.map { $0["actor"] as? String }, ["operator:alice"])
        let deadAfter = try page(server, "/backoffice/outbox?state=dead", alice).body
        XCTAssertFalse(deadAfter.contains("value=\"\(id)\""), "no longer dead: no Retry form for it")
    }

    func testTheAuditNamesTheSignedInOperatorAsTheActorOfAStatusChangeMadeInTheBackOffice() throws {
        let store = CLIStore()
        try addOperator(store, "alice", role: "agent")
        try store.create("bert@example.com", global: ["--actor", "cli-user"])
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let alice = try signIn(server, "alice")
        let token = try XCTUnwrap(csrf(in: try page(server, "/backoffice/customers/new", alice).body))
        let fields = [("_request", "create-1"), ("_csrf", token), ("email", "maria@example.com"), ("salutation", "Ms"),
                      ("first-name", "Maria"), ("last-name", "Williams")]
        XCTAssertEqual(try post(server, "/backoffice/customers/new", fields, alice).status, 303)

        let audit = try page(server, "/backoffice/audit", alice)
        XCTAssertEqual(audit.status, 200)
        let rows = auditRows(audit.body)
        XCTAssertEqual(rows.count, 2, "\(rows)")
        XCTAssertEqual(rows.first.map { Array($0[1...3]) + [$0[5]] }, ["DE--2", "—", "Unverified", "operator:alice"], "newest first: \(rows)")
        XCTAssertEqual(rows.last?[5], "cli-user")

        let changes = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try store.run(["audit", "--json", "--customer", "DE--2"]).stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(changes.map { $0["actor"] as? String }, ["operator:alice"])
        XCTAssertEqual(changes.map { $0["to"] as? String }, ["Unverified"])
    }

    /// The cells of the Audit table's rows (tags stripped).
    private func auditRows(_ html: String) -> [[String]] {
        guard let start = html.range(of: "<table id=\"audit\""), let body = html[start.upperBound...].range(of: "<tbody>"),
              let end = html[body.upperBound...].range(of: "</tbody>") else { return [] }
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "</tr>").dropLast().map { row in
            row.components(separatedBy: "</td>").dropLast().map {
                $0.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
            }
        }
    }
}
