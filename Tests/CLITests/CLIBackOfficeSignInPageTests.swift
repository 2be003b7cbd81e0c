import Foundation
import TestSupport
import XCTest

/// The operator sign-in page on a real `serve`: failed sign-ins and failed API keys throttled per client address
/// (429 with `Retry-After`, like the customers' sign-in), and the page in the browser's language with the back
/// office's stylesheet.
final class CLIBackOfficeSignInPageTests: XCTestCase {
    static let password = CLIOperatorTests.password

    func login(_ server: ServeProcess, _ name: String, _ password: String, language: String? = nil) throws -> HTTPAnswer {
        var headers = HTTPCall.browserSameOrigin
        if let language { headers["Accept-Language"] = language }
        return try HTTPClient.send(.form("/backoffice/login", [("name", name), ("password", password)], headers: headers), port: server.port)
    }

    func testTheEleventhFailedSignInFromOneAddressGets429WithRetryAfterEvenWithTheRightPassword() throws {
        let store = CLIStore()
        let added = try runProcess(customerES, ["--store", store.path, "operator", "add", "alice", "--role", "admin"], stdin: Self.password + "\n")
        XCTAssertEqual(added.status, 0, added.stderr)
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        // Different names, so the per-operator lock-out is not what stops them.
        for attempt in 1...10 {
            XCTAssertEqual(try login(server, "guess\(attempt)", "not-the-password").status, 401, "attempt \(attempt)")
        }
        let blocked = try login(server, "alice", Self.password)
        XCTAssertEqual(blocked.status, 429, blocked.body)
        let wait = try XCTUnwrap(blocked.header("Retry-After").flatMap { Int($0) }, "Retry-After in whole seconds")
        XCTAssertTrue((1...600).contains(wait), "\(wait)")
        XCTAssertNil(blocked.header("Set-Cookie"), "no session while blocked")
        XCTAssertTrue(blocked.body.contains("Too many failed sign-ins"), blocked.body)
        let german = try login(server, "alice", Self.password, language: "de-DE")
        XCTAssertEqual(german.status, 429)
        XCTAssertTrue(german.body.contains("Zu viele fehlgeschlagene Anmeldungen"), german.body)
    }

    func testTheEleventhWrongAPIKeyFromOneAddressGets429AndNoKeyAtAllIsNoGuess() throws {
        let store = CLIStore()
        let created = try store.run(["api-key", "create", "crm", "--role", "agent", "--json"])
        XCTAssertEqual(created.status, 0, created.stderr)
        let key = try XCTUnwrap(try jsonObject(created.stdout)["key"] as? String, created.stdout)
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let list = "/api/customers"
        let anonymous = try HTTPClient.send(Array(repeating: HTTPCall(path: list), count: 12), port: server.port)
        XCTAssertEqual(anonymous.map(\.status), Array(repeating: 401, count: 12))
        XCTAssertEqual(try HTTPClient.send(HTTPCall(path: list, headers: ["Authorization": "Bearer \(key)"]), port: server.port).status, 200)
        let wrong = try HTTPClient.send(Array(repeating: HTTPCall(path: list, headers: ["Authorization": "Bearer wrong-key"]), count: 10), port: server.port)
        XCTAssertEqual(wrong.map(\.status), Array(repeating: 401, count: 10))
        let blocked = try HTTPClient.send(HTTPCall(path: list, headers: ["Authorization": "Bearer wrong-key"]), port: server.port)
        XCTAssertEqual(blocked.status, 429, blocked.body)
        XCTAssertNotNil(blocked.header("Retry-After").flatMap { Int($0) }, "Retry-After in whole seconds")
        XCTAssertTrue(blocked.body.contains("\"tooManyRequests\""), blocked.body)
        // The sign-in form counts separately: an operator behind the same address is not locked out by a script.
        XCTAssertEqual(try login(server, "nobody", "not-the-password").status, 401)
    }

    func testTheSignInPageSpeaksTheBrowsersLanguageAndUsesTheBackOfficeStylesheet() throws {
        let store = CLIStore()
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let english = try HTTPClient.send(HTTPCall(path: "/backoffice/login", headers: ["Accept-Language": "en-US,en;q=0.9"]), port: server.port)
        let german = try HTTPClient.send(HTTPCall(path: "/backoffice/login", headers: ["Accept-Language": "de-DE,de;q=0.9,en;q=0.8"]), port: server.port)
        XCTAssertEqual(english.status, 200)
        XCTAssertEqual(german.status, 200)
        XCTAssertTrue(english.body.contains("<html lang=\"en\""), english.body)
        XCTAssertTrue(german.body.contains("<html lang=\"de\""), german.body)
        XCTAssertTrue(english.body.contains(">Back office sign-in<"), english.body)
        XCTAssertTrue(german.body.contains(">Anmeldung im Back Office<"), german.body)
        XCTAssertTrue(german.body.contains("<label for=\"name\">Name des Bearbeiters</label>"), german.body)
        XCTAssertTrue(german.body.contains("<label for=\"password\">Passwort</label>"), german.body)
        XCTAssertTrue(german.body.contains(">Anmelden</button>"), german.body)
        for page in [english, german] {
            XCTAssertTrue(page.body.contains("href=\"/backoffice/static/backoffice.css\""), page.body)
        }
        let stylesheet = try HTTPClient.send(HTTPCall(path: "/backoffice/static/backoffice.css"), port: server.port)
        XCTAssertEqual(stylesheet.status, 200, "the stylesheet needs no session")
        XCTAssertEqual(stylesheet.header("Content-Type")?.hasPrefix("text/css"), true)

        let refused = try login(server, "nobody", "not-the-password", language: "de")
        XCTAssertEqual(refused.status, 401)
        XCTAssertTrue(refused.body.contains("Der Name des Bearbeiters oder das Passwort ist nicht richtig."), refused.body)
        XCTAssertTrue(refused.body.contains("value=\"nobody\""), "the form keeps the name")
    }
}
