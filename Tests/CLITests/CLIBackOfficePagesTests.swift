import Foundation
import TestSupport
import XCTest

/// The back-office pages behind the session gate of a real `serve`: no session → the login page; a form post
/// without this session's CSRF token, or by a viewer, is refused and writes nothing; an agent's post is recorded
/// with the operator as the actor; the pages carry the security headers.
final class CLIBackOfficePagesTests: XCTestCase {
    func addOperator(_ store: CLIStore, _ name: String, role: String) throws {
        let added = try runProcess(customerES, ["--store", store.path, "operator", "add", name, "--role", role], stdin: CLIOperatorTests.password + "\n")
        XCTAssertEqual(added.status, 0, added.stderr)
    }

    /// Signs in and returns the session cookie (`ces_session=…`).
    func signIn(_ server: ServeProcess, _ name: String) throws -> String {
        let answer = try HTTPClient.send(
            .form("/backoffice/login", [("name", name), ("password", CLIOperatorTests.password)], headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(answer.status, 303, answer.body)
        return String(try XCTUnwrap(answer.header("Set-Cookie")).prefix { $0 != ";" })
    }

    func csrf(in page: String) -> String? {
        guard let range = page.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    func page(_ server: ServeProcess, _ path: String, _ cookie: String) throws -> HTTPAnswer {
        try HTTPClient.send(HTTPCall(path: path, headers: ["Cookie": cookie]), port: server.port)
    }

    func post(_ server: ServeProcess, _ path: String, _ fields: [(String, String)], _ cookie: String) throws -> HTTPAnswer {
        var headers = HTTPCall.browserSameOrigin
        headers["Cookie"] = cookie
        return try HTTPClient.send(.form(path, fields, headers: headers), port: server.port)
    }

    func testThePagesNeedASessionAndTheirFormsTheSessionsTokenAndARoleThatMayAct() throws {
        let store = CLIStore()
        try addOperator(store, "alice", role: "agent")
        try addOperator(store, "vera", role: "viewer")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let anonymous = try HTTPClient.send(HTTPCall(path: "/backoffice/customers"), port: server.port)
        XCTAssertEqual(anonymous.status, 303)
        XCTAssertEqual(anonymous.header("Location"), "/backoffice/login")

        let alice = try signIn(server, "alice"), vera = try signIn(server, "vera")
        let list = try page(server, "/backoffice/customers", alice)
        XCTAssertEqual(list.status, 200)
        XCTAssertTrue(list.body.contains("Signed in as alice (agent)."), list.body)
        let policy = try XCTUnwrap(list.header("Content-Security-Policy"))
        for directive in ["frame-ancestors 'none'", "form-action 'self'", "default-src 'none'"] where !policy.contains(directive) {
            XCTFail("the back office's pages send \(directive): \(policy)")
        }
        XCTAssertEqual(list.header("X-Content-Type-Options"), "nosniff")
        XCTAssertEqual(list.header("Cache-Control"), "no-store")
        let form = try page(server, "/backoffice/customers/new", alice)
        let aliceToken = try XCTUnwrap(csrf(in: form.body))
        let veraToken = try XCTUnwrap(csrf(in: try page(server, "/backoffice/customers", vera).body))
        XCTAssertEqual(try page(server, "/backoffice/customers/new", vera).status, 403, "a viewer cannot reach Add Customer")

        let fields = [("_request", "one"), ("email", "maria@example.com"), ("salutation", "Ms"), ("first-name", "Maria"), ("last-name", "Williams")]
        XCTAssertEqual(try post(server, "/backoffice/customers/new", fields, alice).status, 403, "no token")
        XCTAssertEqual(try post(server, "/backoffice/customers/new", fields + [("_csrf", veraToken)], alice).status, 403, "another session's token")
        XCTAssertEqual(try post(server, "/backoffice/customers/new", fields + [("_csrf", veraToken)], vera).status, 403, "a viewer")
        XCTAssertEqual(try store.run(["list", "--format", "csv"]).stdout.split(separator: "\n").count, 1, "nothing written")

        let created = try post(server, "/backoffice/customers/new", fields + [("_csrf", aliceToken)], alice)
        XCTAssertEqual(created.status, 303, created.body)
        XCTAssertEqual(created.header("Location"), "/backoffice/customers?sort=created&dir=desc&done=created")
        let again = try post(server, "/backoffice/customers/new", fields + [("_csrf", aliceToken)], alice)
        XCTAssertEqual(again.status, 303, "the same form again")
        let history = try store.run(["--json", "history", "maria@example.com"])
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertTrue(history.stdout.contains("\"actor\":\"operator:alice\""), history.stdout)
        XCTAssertEqual(try store.run(["list", "--format", "csv"]).stdout.split(separator: "\n").count, 2, "one customer for two posts")
        let csv = try page(server, "/backoffice/customers.csv", vera)
        XCTAssertEqual(csv.status, 200)
        XCTAssertTrue(csv.body.hasPrefix("Reference,Created,Email,Last Name,First Name,Status\r\nDE--1,"), csv.body)
    }
}
