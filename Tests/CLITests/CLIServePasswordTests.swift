import Foundation
import TestSupport
import XCTest

/// The password-set link and the sign-in API of `serve`, against a real server process and a real HTTP client.
final class CLIServePasswordTests: XCTestCase {
    func testThePasswordLinkShowsAFormWithoutUsingTheToken() throws {
        let store = CLIStore()
        try store.create("pat@example.com", flags: ["send-password-token"])
        let server = try ServeProcess(store)
        let link = try server.link(to: "pat@example.com", path: "/password/restore")
        let token = try XCTUnwrap(tokenOf(link))
        for _ in 0..<2 {
            let page = try HTTPClient.send(HTTPCall(path: pathAndQuery(link)), port: server.port)
            XCTAssertEqual(page.status, 200, page.body)
            XCTAssertTrue(page.body.contains("Set your password"), page.body)
            XCTAssertTrue(page.body.contains("name=\"password\""), page.body)
            XCTAssertTrue(page.body.contains("name=\"password-repeat\""), page.body)
            XCTAssertTrue(page.body.contains("autocomplete=\"new-password\""), page.body)
        }
        // The two fields differ: the form comes back with the problem and without either password.
        let mismatch = try HTTPClient.send(.form(
            "/password/restore", [("token", token), ("password", "correct horse battery"), ("password-repeat", "correct horse batterz")],
            headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(mismatch.status, 422, mismatch.body)
        XCTAssertTrue(mismatch.body.contains("The two passwords are not the same."), mismatch.body)
        XCTAssertFalse(mismatch.body.contains("correct horse"), "a password is never sent back")

        let unknown = try HTTPClient.send(HTTPCall(path: "/password/restore?token=nonsense&_locale=de_DE"), port: server.port)
        XCTAssertEqual(unknown.status, 404)
        XCTAssertTrue(unknown.body.contains("Dieser Link ist ungültig"), unknown.body)
        // A verification token is not a password token.
        let verification = try XCTUnwrap(tokenOf(try server.link(to: "pat@example.com")))
        XCTAssertEqual(try HTTPClient.send(HTTPCall(path: "/password/restore?token=\(verification)"), port: server.port).status, 404)
        // And a password token is not a verification token (the application says so; the page says "not valid").
        let crossed = try HTTPClient.send(.form("/register/confirm", [("token", token)]), port: server.port)
        XCTAssertEqual(crossed.status, 404, crossed.body)
        XCTAssertTrue(crossed.body.contains("This link is not valid"), crossed.body)
        XCTAssertFalse(server.stderr.contains(token), "the token must never reach the access log")
    }

    func testTheSignInAPIRefusesMalformedAndCrossSiteRequests() throws {
        let store = CLIStore()
        try store.create("api@example.com")
        let server = try ServeProcess(store)
        let body = #"{"email": "api@example.com", "password": "whatever it is"}"#
        let answers = try HTTPClient.send([
            HTTPCall(method: "POST", path: "/api/authenticate", headers: ["Content-Type": "text/plain"], body: body),
            HTTPCall(method: "POST", path: "/api/authenticate", headers: ["Content-Type": "application/json"], body: "[1, 2]"),
            HTTPCall(method: "POST", path: "/api/authenticate", headers: ["Content-Type": "application/json", "Origin": "https://evil.example"], body: body),
        ], port: server.port)
        XCTAssertEqual(answers.map(\.status), [415, 400, 403])
        for answer in answers {
            XCTAssertEqual(answer.header("Content-Type"), "application/json")
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: String], answer.body)
        }
    }

    func testTheCustomerSetsAPasswordAndSignsIn() throws {
        let store = CLIStore()
        let reference = try store.create("sam@example.com", ["first-name": "Samantha"], flags: ["send-password-token"])
        let server = try ServeProcess(store)
        // Verified first: unverified customers cannot sign in by default.
        let confirm = try XCTUnwrap(tokenOf(try server.link(to: "sam@example.com")))
        XCTAssertEqual(try HTTPClient.send(.form("/register/confirm", [("token", confirm)]), port: server.port).status, 200)
        let token = try XCTUnwrap(tokenOf(try server.link(to: "sam@example.com", path: "/password/restore")))

        let weak = try HTTPClient.send(.form(
            "/password/restore", [("token", token), ("password", "samantha1234"), ("password-repeat", "samantha1234")],
            headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(weak.status, 422, weak.body)
        XCTAssertTrue(weak.body.contains("id=\"password-problems\""), "the broken rules are listed beside the field: \(weak.body)")
        XCTAssertFalse(weak.body.contains("samantha1234"), "a password is never sent back")
        XCTAssertTrue(weak.body.contains("The password must not contain your first name."), weak.body)
        let weakInGerman = try HTTPClient.send(.form(
            "/password/restore", [("token", token), ("password", "kurz"), ("password-repeat", "kurz"), ("_locale", "de_DE")],
            headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(weakInGerman.status, 422, weakInGerman.body)
        XCTAssertTrue(weakInGerman.body.contains("Das Passwort muss mindestens 12 Zeichen lang sein (es sind 4)."), weakInGerman.body)
        XCTAssertFalse(weakInGerman.body.contains("must be at least"), "the policy's rules in German, not the domain's English")

        let good = "Tangerine-Orbit-7731"
        let set = try HTTPClient.send(.form(
            "/password/restore", [("token", token), ("password", good), ("password-repeat", good)],
            headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(set.status, 200, set.body)
        XCTAssertTrue(set.body.contains("Your password is set."), set.body)
        let again = try HTTPClient.send(HTTPCall(path: "/password/restore?token=\(token)"), port: server.port)
        XCTAssertNotEqual(again.status, 200, "a password link works once: \(again.body)")

        func signIn(_ email: String, _ password: String) throws -> HTTPAnswer {
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["email": email, "password": password]), as: UTF8.self)
            return try HTTPClient.send(HTTPCall(method: "POST", path: "/api/authenticate", headers: ["Content-Type": "application/json"], body: body), port: server.port)
        }
        let accepted = try signIn("sam@example.com", good)
        XCTAssertEqual(accepted.status, 200, accepted.body)
        XCTAssertEqual(try jsonObject(accepted.body)["reference"] as? String, reference)
        let wrong = try signIn("sam@example.com", good + "x")
        let unknown = try signIn("nobody@example.com", good)
        XCTAssertEqual([wrong.status, unknown.status], [401, 401])
        XCTAssertEqual(wrong.body, unknown.body, "one generic message whatever failed")
        XCTAssertFalse(server.stderr.contains(good))
        let cli = try runProcess(customerES, ["--store", store.path, "authenticate", reference], stdin: good + "\n")
        XCTAssertEqual(cli.status, 0, cli.stderr)
    }

    /// The decision the README records: a used password-set link proves the inbox as a verification link does.
    func testThePasswordLinkAloneAlsoVerifiesTheAddress() throws {
        let store = CLIStore()
        let reference = try store.create("first@example.com", flags: ["send-password-token"])
        let server = try ServeProcess(store)
        let token = try XCTUnwrap(tokenOf(try server.link(to: "first@example.com", path: "/password/restore")))
        let password = "Marmalade-Comet-9054"
        let set = try HTTPClient.send(.form(
            "/password/restore", [("token", token), ("password", password), ("password-repeat", password)],
            headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(set.status, 200, set.body)
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Verified")
        let history = try store.run(["history", reference]).stdout
        XCTAssertTrue(history.contains("EmailVerified  by storefront"), history)
        // The verification link of the same customer now says so instead of verifying again.
        let confirm = try XCTUnwrap(tokenOf(try server.link(to: "first@example.com")))
        let page = try HTTPClient.send(HTTPCall(path: "/register/confirm?token=\(confirm)"), port: server.port)
        XCTAssertTrue(page.body.contains("Your email address is already confirmed."), page.body)
    }
}
