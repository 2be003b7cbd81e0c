import Foundation
import TestSupport
import XCTest

/// Operator sign-in on a real `serve`: the cookie's attributes, the gate (no session → the login page), CSRF
/// refusals (no token, another session's token), sign-out, expiry, and revocation by disable and reset.
final class CLIBackOfficeSessionTests: XCTestCase {
    static let password = CLIOperatorTests.password

    func addOperator(_ store: CLIStore, _ name: String, role: String = "agent") throws {
        let added = try runProcess(customerES, ["--store", store.path, "operator", "add", name, "--role", role], stdin: Self.password + "\n")
        XCTAssertEqual(added.status, 0, added.stderr)
    }

    /// Signs in and returns the session cookie (`ces_session=…`).
    func signIn(_ server: ServeProcess, _ name: String, password: String = CLIBackOfficeSessionTests.password, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let answer = try HTTPClient.send(.form("/backoffice/login", [("name", name), ("password", password)], headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(answer.status, 303, answer.body, file: file, line: line)
        let cookie = try XCTUnwrap(answer.header("Set-Cookie"), file: file, line: line)
        return String(cookie.prefix { $0 != ";" })
    }

    func home(_ server: ServeProcess, _ cookie: String) throws -> HTTPAnswer {
        try HTTPClient.send(HTTPCall(path: "/backoffice", headers: ["Cookie": cookie]), port: server.port)
    }

    func csrf(in page: String) -> String? {
        guard let range = page.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    func logout(_ server: ServeProcess, _ cookie: String, token: String?) throws -> HTTPAnswer {
        var headers = HTTPCall.browserSameOrigin
        headers["Cookie"] = cookie
        return try HTTPClient.send(.form("/backoffice/logout", token.map { [("_csrf", $0)] } ?? [], headers: headers), port: server.port)
    }

    func testSignInSetsAStrictCookieAndTheGateSendsOthersToTheLoginPage() throws {
        let store = CLIStore()
        try addOperator(store, "alice", role: "admin")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let anonymous = try HTTPClient.send(HTTPCall(path: "/backoffice"), port: server.port)
        XCTAssertEqual(anonymous.status, 303)
        XCTAssertEqual(anonymous.header("Location"), "/backoffice/login")
        let login = try HTTPClient.send(HTTPCall(path: "/backoffice/login"), port: server.port)
        XCTAssertTrue(login.body.contains("<label for=\"password\">"), login.body)

        let answer = try HTTPClient.send(.form("/backoffice/login", [("name", "Alice"), ("password", Self.password)], headers: HTTPCall.browserSameOrigin), port: server.port)
        let cookie = try XCTUnwrap(answer.header("Set-Cookie"))
        XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/backoffice"), cookie)
        XCTAssertFalse(cookie.contains("Secure"), "the base URL is http")
        let id = String(cookie.prefix { $0 != ";" }.dropFirst("ces_session=".count))
        XCTAssertGreaterThanOrEqual(id.count, 43, "at least 256 bits")
        let page = try home(server, String(cookie.prefix { $0 != ";" }))
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("Signed in as alice (admin)."), page.body)
        let dump = try runProcess(URL(fileURLWithPath: "/usr/bin/mdb_dump"), ["-p", "-s", "access.sessions", store.path])
        XCTAssertFalse(dump.stdout.contains(id), "only the digest of the session id is stored")

        let wrong = try HTTPClient.send(.form("/backoffice/login", [("name", "alice"), ("password", "not-the-password")], headers: HTTPCall.browserSameOrigin), port: server.port)
        let unknown = try HTTPClient.send(.form("/backoffice/login", [("name", "mallory"), ("password", Self.password)], headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(wrong.status, 401)
        XCTAssertEqual(unknown.status, 401)
        XCTAssertNil(wrong.header("Set-Cookie"))
        XCTAssertTrue(unknown.body.contains("The operator name or the password is not correct."))
        let crossSite = try HTTPClient.send(.form("/backoffice/login", [("name", "alice"), ("password", Self.password)], headers: ["Sec-Fetch-Site": "cross-site"]), port: server.port)
        XCTAssertEqual(crossSite.status, 403)
    }

    /// The cookie is only sent over TLS when the store's base URL is https (the setting is read at each sign-in).
    func testTheSessionCookieIsSecureWhenTheBaseURLIsHTTPSAndNotWhenHTTP() throws {
        let store = CLIStore()
        try addOperator(store, "alice")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let signIn = { () throws -> String in
            let answer = try HTTPClient.send(
                .form("/backoffice/login", [("name", "alice"), ("password", Self.password)], headers: HTTPCall.browserSameOrigin), port: server.port)
            XCTAssertEqual(answer.status, 303, answer.body)
            return try XCTUnwrap(answer.header("Set-Cookie"))
        }
        let plain = try signIn()
        XCTAssertFalse(plain.contains("Secure"), "the base URL is http: \(plain)")
        let setting = try store.run(["settings", "base-url", "https://shop.example"])
        XCTAssertEqual(setting.status, 0, setting.stderr)
        let secure = try signIn()
        XCTAssertTrue(secure.hasSuffix("; Secure") || secure.contains("; Secure;"), "the base URL is https: \(secure)")
        XCTAssertTrue(secure.contains("HttpOnly") && secure.contains("SameSite=Strict"), secure)
    }

    func testSignOutNeedsThisSessionsCSRFTokenAndEndsTheSession() throws {
        let store = CLIStore()
        try addOperator(store, "alice")
        try addOperator(store, "bob")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let alice = try signIn(server, "alice"), bob = try signIn(server, "bob")
        let aliceToken = try XCTUnwrap(csrf(in: try home(server, alice).body))
        let bobToken = try XCTUnwrap(csrf(in: try home(server, bob).body))
        XCTAssertNotEqual(aliceToken, bobToken)

        XCTAssertEqual(try logout(server, alice, token: nil).status, 403, "no token")
        XCTAssertEqual(try logout(server, alice, token: bobToken).status, 403, "another session's token")
        XCTAssertEqual(try home(server, alice).status, 200, "still signed in")
        let out = try logout(server, alice, token: aliceToken)
        XCTAssertEqual(out.status, 303)
        XCTAssertTrue(out.header("Set-Cookie")?.contains("Max-Age=0") ?? false)
        XCTAssertEqual(try home(server, alice).status, 303, "the session ended")
        XCTAssertEqual(try home(server, bob).status, 200, "bob's did not")
    }

    func testDisableAndPasswordResetEndSessionsAndAWrongPasswordStreakLocksOut() throws {
        let store = CLIStore()
        try addOperator(store, "alice")
        try addOperator(store, "bob")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let alice = try signIn(server, "alice"), bob = try signIn(server, "bob")
        XCTAssertEqual(try store.run(["operator", "disable", "alice"]).status, 0)
        XCTAssertEqual(try home(server, alice).status, 303, "disable ends the session")
        let reset = try runProcess(customerES, ["--store", store.path, "operator", "reset-password", "bob"], stdin: "Another-Good-Pass-99\n")
        XCTAssertEqual(reset.status, 0, reset.stderr)
        XCTAssertEqual(try home(server, bob).status, 303, "a reset ends the session")
        _ = try signIn(server, "bob", password: "Another-Good-Pass-99")
        let disabled = try HTTPClient.send(.form("/backoffice/login", [("name", "alice"), ("password", Self.password)], headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(disabled.status, 401)

        let wrongs = Array(repeating: HTTPCall.form("/backoffice/login", [("name", "bob"), ("password", "wrong-password-1")], headers: HTTPCall.browserSameOrigin), count: 5)
        XCTAssertEqual(try HTTPClient.send(wrongs, port: server.port).map(\.status), Array(repeating: 401, count: 5))
        let locked = try HTTPClient.send(.form("/backoffice/login", [("name", "bob"), ("password", "Another-Good-Pass-99")], headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(locked.status, 401, "locked out: the right password is refused with the same answer")
        let list = try jsonObject(try store.run(["operator", "list", "--json"]).stdout)["items"] as? [[String: Any]]
        XCTAssertNotNil(list?.first { $0["name"] as? String == "bob" }?["lockedUntil"] as? String)
        let types = try store.events().compactMap { $0["type"] as? String }
        XCTAssertEqual(types.filter { $0 == "OperatorSignInFailed" }.count, 5)
        XCTAssertEqual(types.filter { $0 == "OperatorLockedOut" }.count, 1)
    }

    func testAnIdleSessionExpires() throws {
        let store = CLIStore()
        try addOperator(store, "alice")
        let server = try ServeProcess(store, arguments: ["--transport", "none", "--session-idle", "2s"])
        let alice = try signIn(server, "alice")
        XCTAssertEqual(try home(server, alice).status, 200)
        sleep(3)
        XCTAssertEqual(try home(server, alice).status, 303, "idle for longer than --session-idle")
    }

    func testASessionEndsAtItsMaximumAgeHoweverBusy() throws {
        let store = CLIStore()
        try addOperator(store, "alice")
        let server = try ServeProcess(store, arguments: ["--transport", "none", "--session-max-age", "3s"])
        let alice = try signIn(server, "alice")
        for _ in 0..<2 {
            XCTAssertEqual(try home(server, alice).status, 200)
            sleep(1)
        }
        sleep(2)
        XCTAssertEqual(try home(server, alice).status, 303, "older than --session-max-age")
    }

    func testBadSessionOptionsAreUsageErrors() throws {
        let store = CLIStore()
        let bad = try store.run(["serve", "--session-idle", "soon"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--session-idle must be a duration"), bad.stderr)
    }
}
