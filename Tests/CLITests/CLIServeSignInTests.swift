import Foundation
import TestSupport
import XCTest

/// `POST /api/authenticate` of a real `serve` process: the lock-out after five failures, the per-client limit, and
/// the platform's imported customers signing in with their bcrypt hashes, which become yescrypt.
final class CLIServeSignInTests: XCTestCase {
    func testFiveFailuresLockTheAccountAndTheClientThenGets429() throws {
        let store = try CLIStore.withDemoCustomers()
        XCTAssertEqual(try store.run(["settings", "sign-in-lock", "2s,1m"]).status, 0)
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let email = "maria.williams@spryker.com"
        let password = CLIAuthenticateTests.demoPassword

        let failures = try HTTPClient.send(try (1...5).map { try signInCall(email, "guess-\($0)") }, port: server.port)
        XCTAssertEqual(failures.map(\.status), [401, 401, 401, 401, 401])
        // Locked now: the right password is refused too, with the same generic answer.
        let locked = try HTTPClient.send(try signInCall(email, password), port: server.port)
        XCTAssertEqual(locked.status, 401, locked.body)
        XCTAssertEqual(locked.body, failures[0].body, "a locked account answers like a wrong password")
        XCTAssertEqual(Set(failures.map(\.body)).count, 1)
        let history = try store.run(["history", "DE--2"]).stdout
        XCTAssertTrue(history.contains("Account locked until"), history)
        XCTAssertTrue(history.contains("Sign-in refused: the account is locked"), history)
        XCTAssertFalse(history.contains(password) || history.contains("guess-"), "no password in history")

        // Ten failures from one address within the window: the eleventh attempt waits, whatever it sends.
        let more = try HTTPClient.send(try (6...9).map { try signInCall("nobody@example.com", "guess-\($0)") }, port: server.port)
        XCTAssertEqual(more.map(\.status), [401, 401, 401, 401])
        let limited = try HTTPClient.send(try signInCall("spencor.hopkin@spryker.com", password), port: server.port)
        XCTAssertEqual(limited.status, 429, limited.body)
        XCTAssertGreaterThan(Int(limited.header("Retry-After") ?? "") ?? 0, 0, "429 carries Retry-After")
        XCTAssertNotNil(try jsonObject(limited.body)["error"] as? String, limited.body)

        // Once the lock has ended, the right password from another address signs in.
        Thread.sleep(forTimeInterval: 2.2)
        let after = try HTTPClient.send(try signInCall(email, password, source: "127.0.0.2"), port: server.port)
        XCTAssertEqual(after.status, 200, after.body)
        XCTAssertEqual(try jsonObject(after.body)["reference"] as? String, "DE--2")
        XCTAssertFalse(server.stderr.contains(password), "no password in the access log")
    }

    func testAnImportedDemoCustomerSignsInOverHTTPAndItsHashBecomesYescrypt() throws {
        let store = try CLIStore.withDemoCustomers()
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let password = CLIAuthenticateTests.demoPassword
        let first = try HTTPClient.send(try signInCall("spencor.hopkin@spryker.com", password), port: server.port)
        XCTAssertEqual(first.status, 200, first.body)
        XCTAssertEqual(try jsonObject(first.body)["reference"] as? String, "DE--1")

        let dump = try runProcess(URL(fileURLWithPath: "/usr/bin/mdb_dump"), ["-p", "-s", "credentials", store.path])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        XCTAssertEqual(dump.stdout.components(separatedBy: "$y$").count - 1, 1, "DE--1's credential is yescrypt: \(dump.stdout)")
        XCTAssertEqual(dump.stdout.components(separatedBy: "$2y$").count - 1, 3, "the other three keep their bcrypt hash")
        let history = try store.run(["history", "DE--1"]).stdout
        XCTAssertTrue(history.contains("Password hash upgraded from bcrypt to yescrypt at sign-in"), history)
        XCTAssertTrue(history.contains("storefront"), "the storefront is the actor: \(history)")

        // The upgraded credential signs in again; a wrong password and the Unverified DE--3 get the generic 401.
        let answers = try HTTPClient.send([
            try signInCall("spencor.hopkin@spryker.com", password),
            try signInCall("spencor.hopkin@spryker.com", "change1234"),
            try signInCall("maggie.may@spryker.com", password),
        ], port: server.port)
        XCTAssertEqual(answers.map(\.status), [200, 401, 401])
        XCTAssertEqual(answers[1].body, answers[2].body, "one generic message whatever failed")
        XCTAssertFalse(server.stderr.contains(password))
    }
}

extension CLIStore {
    /// A new store with the platform's demo customers imported (every password `change123`; DE--3 Unverified).
    static func withDemoCustomers(file: StaticString = #filePath, line: UInt = #line) throws -> CLIStore {
        let store = CLIStore()
        let csv = store.folder.path("customer.csv")
        try CLIAuthenticateTests.demoCSV.write(to: csv, atomically: true, encoding: .utf8)
        let imported = try store.run(["import", csv.path])
        XCTAssertEqual(imported.status, 0, imported.stderr, file: file, line: line)
        return store
    }
}
