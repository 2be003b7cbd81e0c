import Foundation
import TestSupport
import XCTest

/// `authenticate CUSTOMER` and `set-password --token T`: the password on standard input, exit 0 / 1, the lock-out
/// held in the store across processes, imported bcrypt hashes upgraded to yescrypt.
final class CLIAuthenticateTests: XCTestCase {
    /// The platform's demo data: DE--1 and DE--2 registered, DE--3 Unverified; every hash is of `change123`.
    static let demoCSV = CLIImportBackupAndEventsTests.demoCSV
    static let demoPassword = "change123"

    private func importedStore() throws -> CLIStore { try CLIStore.withDemoCustomers() }

    private func authenticate(_ store: CLIStore, _ customer: String, _ password: String, json: Bool = false) throws -> ProcessOutput {
        try runProcess(customerES, ["--store", store.path, "authenticate", customer] + (json ? ["--json"] : []),
                       stdin: password + "\n", timeout: 20)
    }

    func testAnImportedDemoCustomerSignsInAndItsHashBecomesYescrypt() throws {
        let store = try importedStore()
        let first = try authenticate(store, "spencor.hopkin@spryker.com", Self.demoPassword, json: true)
        XCTAssertEqual(first.status, 0, first.stderr)
        let answer = try jsonObject(first.stdout)
        XCTAssertEqual(answer["reference"] as? String, "DE--1")
        XCTAssertEqual(answer["succeeded"] as? Bool, true)
        XCTAssertEqual(answer["rehashed"] as? Bool, true)

        // The credentials table now holds a yescrypt hash and no bcrypt one for DE--1 (DE--2 still has its own).
        let dump = try runProcess(URL(fileURLWithPath: "/usr/bin/mdb_dump"), ["-p", "-s", "credentials", store.path])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        XCTAssertEqual(dump.stdout.components(separatedBy: "$y$").count - 1, 1, dump.stdout)
        XCTAssertEqual(dump.stdout.components(separatedBy: "$2y$").count - 1, 3, "the other three imported customers")

        let second = try authenticate(store, "DE--1", Self.demoPassword, json: true)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try jsonObject(second.stdout)["rehashed"] as? Bool, false, "already yescrypt")
        let history = try store.run(["history", "DE--1"])
        XCTAssertTrue(history.stdout.contains("Password hash upgraded from bcrypt to yescrypt at sign-in"), history.stdout)
        XCTAssertFalse(history.stdout.contains("$2y$") || history.stdout.contains("$y$"), "no hash in history")
        let events = try store.run(["events", "--json"])
        XCTAssertFalse(events.stdout.contains("$2y$") || events.stdout.contains("$y$") || events.stdout.contains(Self.demoPassword))

        // The credentials are not a projection: rebuild leaves them, --verify holds, and a backup carries them.
        XCTAssertEqual(try store.run(["rebuild"]).status, 0)
        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertEqual(try authenticate(store, "DE--1", Self.demoPassword).status, 0, "still signs in after a rebuild")
        let backup = store.folder.path("backup")
        XCTAssertEqual(try store.run(["backup", backup.path]).status, 0)
        let restored = try runProcess(customerES, ["--store", backup.path, "authenticate", "DE--2"], stdin: Self.demoPassword + "\n")
        XCTAssertEqual(restored.status, 0, restored.stderr)
    }

    func testAWrongPasswordExits1WithOneGenericMessage() throws {
        let store = try importedStore()
        let wrong = try authenticate(store, "DE--1", "not-the-password")
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("The customer or the password is not correct"), wrong.stderr)
        let unknown = try authenticate(store, "nobody@example.com", Self.demoPassword, json: true)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("\"code\":\"authenticationFailed\""), unknown.stderr)
        let history = try store.run(["history", "DE--1"])
        XCTAssertTrue(history.stdout.contains("Sign-in failed: wrong password (1 in a row)"), history.stdout)
        XCTAssertFalse(history.stdout.contains("not-the-password"))
    }

    func testThePasswordIsNeverAnArgument() throws {
        let store = try importedStore()
        let output = try store.run(["authenticate", "DE--1", Self.demoPassword])
        XCTAssertEqual(output.status, 2, output.stderr)
    }

    func testFiveFailuresLockTheAccountAcrossProcessesUntilTheLockEnds() throws {
        let store = try importedStore()
        XCTAssertEqual(try store.run(["settings", "sign-in-lock", "3s,1m"]).status, 0)
        for attempt in 1...4 {
            let output = try authenticate(store, "DE--2", "guess-\(attempt)")
            XCTAssertEqual(output.status, 1)
            XCTAssertTrue(output.stderr.contains("not correct"), output.stderr)
        }
        let fifth = try authenticate(store, "DE--2", "guess-5", json: true)
        XCTAssertEqual(fifth.status, 1)
        XCTAssertTrue(fifth.stderr.contains("\"code\":\"accountLocked\""), fifth.stderr)
        // Another process, the right password: still locked.
        let locked = try authenticate(store, "DE--2", Self.demoPassword)
        XCTAssertEqual(locked.status, 1)
        XCTAssertTrue(locked.stderr.contains("The account is locked"), locked.stderr)
        // Other customers are not affected.
        XCTAssertEqual(try authenticate(store, "DE--1", Self.demoPassword).status, 0)

        Thread.sleep(forTimeInterval: 3.2)
        let after = try authenticate(store, "DE--2", Self.demoPassword)
        XCTAssertEqual(after.status, 0, after.stderr)
        let history = try store.run(["history", "DE--2"]).stdout
        XCTAssertTrue(history.contains("Account locked until"), history)
        XCTAssertTrue(history.contains("Sign-in refused: the account is locked"), history)
    }

    func testAnUnverifiedCustomerIsRefusedWhileTheSettingSaysSo() throws {
        let store = try importedStore()
        let refused = try authenticate(store, "maggie.may@spryker.com", Self.demoPassword, json: true)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("\"code\":\"notVerified\""), refused.stderr)
        XCTAssertEqual(try store.run(["settings", "sign-in-requires-verified", "false"]).status, 0)
        let allowed = try authenticate(store, "DE--3", Self.demoPassword)
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
    }

    func testImportRefusesAPasswordThatIsNotABcryptHash() throws {
        let store = CLIStore()
        let file = store.folder.path("plain.csv")
        try "customer_reference,email,salutation,first_name,last_name,password\nDE--5,p@example.com,Mr,A,B,hunter2\nDE--6,ok@example.com,Mr,C,D,\nDE--7,bad,Mr,E,F,$2y$10$short\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let output = try store.run(["import", file.path])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("line 2: password: must be a bcrypt hash"), output.stderr)
        XCTAssertFalse(output.stderr.contains("hunter2"))
        // Every broken rule of a row is reported, the password among them.
        XCTAssertTrue(output.stderr.contains("line 4: password: must be a bcrypt hash"), output.stderr)
        XCTAssertTrue(output.stderr.contains("line 4: email:"), output.stderr)
        XCTAssertEqual(try store.show("DE--6")["email"] as? String, "ok@example.com")
    }

    func testThePasswordLinkSetsAPasswordThatSignsIn() throws {
        let store = CLIStore()
        try store.create("max@example.com", flags: ["send-password-token"])
        let token = try store.token("DE--1", kind: "password-set")
        let setPassword = { (password: String) in
            try runProcess(customerES, ["--store", store.path, "set-password", "--token", token], stdin: password + "\n", timeout: 20)
        }
        let weak = try setPassword("mustermann")
        XCTAssertEqual(weak.status, 1)
        XCTAssertTrue(weak.stderr.contains("password: must be at least 12 characters long"), weak.stderr)
        XCTAssertTrue(weak.stderr.contains("password: must not contain the last name"), weak.stderr)
        let set = try setPassword("tangerine-orbit-42")
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Verified", "the password link proved the inbox")
        XCTAssertEqual(try setPassword("tangerine-orbit-43").status, 1, "the link works once")
        XCTAssertEqual(try authenticate(store, "DE--1", "tangerine-orbit-42").status, 0)
        XCTAssertEqual(try authenticate(store, "DE--1", "tangerine-orbit-43").status, 1)

        // The "your password was changed" notice goes out through the outbox, in the customer's locale.
        let listed = try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)
        let notices = (listed["items"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "password-changed" }
        XCTAssertEqual(notices.count, 1, "\(listed)")
        let id = try XCTUnwrap(notices.first?["id"] as? String)
        let dispatch = try store.run(["outbox", "dispatch", "--dir", store.deliveredURL.path])
        XCTAssertEqual(dispatch.status, 0, dispatch.stderr)
        let message = try String(contentsOf: store.deliveredURL.appendingPathComponent("\(id)@customer-es.eml"), encoding: .utf8)
        XCTAssertTrue(message.contains("Subject: Your password was changed"), message)
        XCTAssertTrue(message.contains("To: Max Mustermann <max@example.com>"), message)
    }
}
