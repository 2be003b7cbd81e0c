import Foundation
import TestSupport
import XCTest

/// `--request-id` (idempotent retries) and `--actor`.
final class CLIRequestIdAndActorTests: XCTestCase {
    func testRetryWithTheSameRequestIdAndInputWritesNothing() throws {
        let store = CLIStore()
        let arguments = CLIStore.createArguments(email: "retry@example.com", ["company": "Retry AG"])
        let first = try store.run(["--request-id", "req-1"] + arguments)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(CLIStore.reference(in: first.stdout), "DE--1")
        let head = try store.eventCount()

        // A retry (option after the command this time) answers the same and does nothing.
        let retry = try store.run(arguments + ["--request-id", "req-1"])
        XCTAssertEqual(retry.status, 0, "a retry is not an \"email already used\" error: \(retry.stderr)")
        XCTAssertEqual(retry.stdout, first.stdout, "the retry prints the first answer")

        let retryJSON = try store.run(arguments + ["--request-id", "req-1", "--json"])
        XCTAssertEqual(retryJSON.status, 0, retryJSON.stderr)
        let replay = try jsonObject(retryJSON.stdout)
        XCTAssertEqual(replay["replayed"] as? Bool, true)
        XCTAssertEqual(replay["reference"] as? String, "DE--1")
        XCTAssertEqual(replay["message"] as? String, "Customer was created successfully.")

        // Nothing was written by the retries: the log did not grow, the next customer gets the next number.
        XCTAssertEqual(try store.eventCount(), head, "a replay appends nothing")
        XCTAssertEqual(try store.create("next@example.com"), "DE--2")
        let fresh = try store.run(["--request-id", "req-2", "--json"] + CLIStore.createArguments(email: "third@example.com"))
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertEqual(try jsonObject(fresh.stdout)["replayed"] as? Bool, false, "a first attempt is not a replay")
        XCTAssertEqual(try jsonObject(fresh.stdout)["reference"] as? String, "DE--3")

        // The same id with a different input is refused, naming the request id, and writes nothing.
        let other = try store.run(["--request-id", "req-1"] + CLIStore.createArguments(email: "other@example.com"))
        XCTAssertEqual(other.status, 1, other.stdout)
        XCTAssertTrue(other.stderr.contains("request-id") || other.stderr.localizedCaseInsensitiveContains("request id"), other.stderr)
        let otherJSON = try store.run(["--request-id", "req-1", "--json"] + CLIStore.createArguments(email: "other@example.com"))
        XCTAssertEqual(otherJSON.status, 1)
        XCTAssertEqual(try CLIErrorJSON(otherJSON.stderr).fields, ["request-id"])
        // ... also for another command under the same id.
        let otherCommand = try store.run(["--request-id", "req-1", "send-password-token", "DE--1"])
        XCTAssertEqual(otherCommand.status, 1, otherCommand.stdout)
        XCTAssertTrue(otherCommand.stderr.contains("request-id"), otherCommand.stderr)
        XCTAssertEqual(try store.pendingLinks("DE--1").filter { $0.kind == "password-set" }.count, 0,
                       "the refused command issued no password token")
        XCTAssertEqual(try store.create("last@example.com"), "DE--4")
        XCTAssertEqual(try store.run(["show", "other@example.com"]).status, 1, "no customer under the refused input")
    }

    func testActorIsRecordedInEveryEventsMetadata() throws {
        let store = CLIStore()
        let created = try store.run(["--actor", "alice"] + CLIStore.createArguments(email: "actor@example.com"), environment: ["USER": "os-user"])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertEqual(CLIStore.reference(in: created.stdout), "DE--1")
        XCTAssertEqual(try store.run(["send-password-token", "DE--1", "--actor", "bob"]).status, 0)
        XCTAssertEqual(try store.run(["settings", "--actor=carol", "sender", "Acme <a@acme.test>"]).status, 0)
        let token = try store.token("DE--1")
        XCTAssertEqual(try store.run(["verify-email", "--actor", "dave", "--token", token]).status, 0)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Verified")
        // Without --actor: the OS user.
        XCTAssertEqual(try store.run(["resend-verification", "DE--1"], environment: ["USER": "os-user"]).status, 1, "verified: refused")
        XCTAssertEqual(try store.run(["send-password-token", "DE--1"], environment: ["USER": "os-user"]).status, 0)

        let events = try store.events()
        let actors = events.map { "\($0["type"] as? String ?? "?")/\($0["actor"] as? String ?? "?")" }
        XCTAssertEqual(actors, [
            "CustomerCreated/alice", "VerificationRequested/alice", "PasswordTokenIssued/bob", "SettingChanged/carol",
            "EmailSent/test-dispatcher", "EmailSent/test-dispatcher",  // the token is taken from the delivered email
            "EmailVerified/dave", "PasswordTokenIssued/os-user",
        ])
        let missing = try store.run(["create", "--actor"])
        XCTAssertEqual(missing.status, 2, "--actor needs a value")
    }
}
