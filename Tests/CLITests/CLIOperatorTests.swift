import Foundation
import TestSupport
import XCTest

/// `operator add|list|disable|reset-password` and `api-key create|list|revoke` through the binary: events of the
/// access stream with their actors, secrets only in their tables, every refusal exit 1 with nothing written.
final class CLIOperatorTests: XCTestCase {
    static let password = "Tangerine-Orbit-7731"

    func addOperator(_ store: CLIStore, _ name: String, role: String? = nil, password: String = CLIOperatorTests.password, actor: String? = nil) throws -> ProcessOutput {
        var arguments = ["--store", store.path, "operator", "add", name]
        if let role { arguments += ["--role", role] }
        if let actor { arguments += ["--actor", actor] }
        return try runProcess(customerES, arguments, stdin: password + "\n", timeout: 20)
    }

    func testOperatorsAreAddedListedDisabledAndResetWithTheirActors() throws {
        let store = CLIStore()
        let added = try addOperator(store, "Alice", role: "admin")
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stdout.contains("Operator alice was added as admin."), added.stdout)
        XCTAssertEqual(try addOperator(store, "bob", role: "viewer", actor: "alice").status, 0)
        XCTAssertEqual(try store.run(["operator", "disable", "bob", "--actor", "alice"]).status, 0)
        let reset = try runProcess(customerES, ["--store", store.path, "operator", "reset-password", "alice", "--actor", "alice"], stdin: "Another-Good-Pass-99\n")
        XCTAssertEqual(reset.status, 0, reset.stderr)

        let list = try store.run(["operator", "list", "--json"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let items = try XCTUnwrap(try jsonObject(list.stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["name"] as? String }, ["alice", "bob"])
        XCTAssertEqual(items[0]["role"] as? String, "admin")
        XCTAssertEqual(items[0]["passwordResetBy"] as? String, "alice")
        XCTAssertEqual(items[1]["enabled"] as? Bool, false)
        XCTAssertEqual(items[1]["addedBy"] as? String, "alice")
        XCTAssertEqual(items[1]["disabledBy"] as? String, "alice")
        let text = try store.run(["operator", "list"]).stdout
        XCTAssertTrue(text.contains("bob  viewer  disabled"), text)

        let events = try store.events()
        XCTAssertEqual(events.map { $0["type"] as? String }, ["OperatorAdded", "OperatorAdded", "OperatorDisabled", "OperatorPasswordReset"])
        XCTAssertEqual(Set(events.map { $0["stream"] as? String }), ["access"], "one stream, no name in its key")
        let log = try store.eventLogText()
        XCTAssertFalse(log.contains("$y$") || log.contains(Self.password), "no hash or password in the log")
        let dump = try runProcess(URL(fileURLWithPath: "/usr/bin/mdb_dump"), ["-p", "-s", "access.operator-credentials", store.path])
        XCTAssertEqual(dump.stdout.components(separatedBy: "$y$").count - 1, 2, "one yescrypt hash per operator")
    }

    func testRefusalsExit1AndWriteNothing() throws {
        let store = CLIStore()
        XCTAssertEqual(try addOperator(store, "alice", role: "admin").status, 0)
        let before = try store.eventLogText()
        let cases: [(ProcessOutput, String)] = [
            (try addOperator(store, "alice"), "already exists"),
            (try addOperator(store, "ALICE"), "already exists"),
            (try addOperator(store, "carol", password: "short"), "at least 12 characters"),
            (try addOperator(store, "carol", password: "carol-is-my-password-1"), "must not contain the operator's name"),
            (try addOperator(store, "carol", role: "boss"), "role must be one of admin, agent, viewer"),
            (try addOperator(store, "bad name!"), "name must be 1–64"),
            (try store.run(["operator", "disable", "nobody"]), "No operator is named nobody"),
            (try store.run(["api-key", "revoke", "nothing"]), "No active API key is named nothing"),
        ]
        for (output, expected) in cases {
            XCTAssertEqual(output.status, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains(expected), "\(expected): \(output.stderr)")
        }
        XCTAssertEqual(try store.eventLogText(), before, "nothing written")
        XCTAssertEqual(try store.run(["operator", "disable", "alice"]).status, 0)
        let again = try store.run(["operator", "disable", "alice", "--json"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("\"operatorDisabled\""), again.stderr)
    }

    func testAnApiKeyIsPrintedOnceAndStoredOnlyAsADigest() throws {
        let store = CLIStore()
        let created = try store.run(["api-key", "create", "crm-sync", "--role", "viewer", "--json"])
        XCTAssertEqual(created.status, 0, created.stderr)
        let key = try XCTUnwrap(try jsonObject(created.stdout)["key"] as? String)
        XCTAssertTrue(key.hasPrefix("ces_") && key.count == 47, key)
        let list = try store.run(["api-key", "list"])
        XCTAssertTrue(list.stdout.contains("crm-sync  viewer  active"), list.stdout)
        XCTAssertFalse(list.stdout.contains(key))
        let secret = String(key.dropFirst(4))
        XCTAssertFalse(try store.eventLogText().contains(secret))
        let dump = try runProcess(URL(fileURLWithPath: "/usr/bin/mdb_dump"), ["-s", "access.api-keys", store.path])
        XCTAssertFalse(dump.stdout.contains(secret), "the key itself is not stored")
        XCTAssertEqual(try store.run(["api-key", "create", "crm-sync"]).status, 1, "names are never reused")
        XCTAssertEqual(try store.run(["api-key", "revoke", "crm-sync", "--actor", "alice"]).status, 0)
        let revoked = try jsonObject(try store.run(["api-key", "list", "--json"]).stdout)["items"] as? [[String: Any]]
        XCTAssertEqual(revoked?.first?["revokedBy"] as? String, "alice")
        XCTAssertEqual(revoked?.first?["active"] as? Bool, false)
    }
}
