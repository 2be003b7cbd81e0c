import Foundation
import TestSupport
import XCTest

/// `serve` as a customer meets it: the link in the delivered email, the confirm page, the POST, and every way a
/// link can fail — against a real server process and a real HTTP client.
final class CLIServeVerificationTests: XCTestCase {
    func testCustomerConfirmsThroughTheLinkInTheDeliveredEmail() throws {
        let store = CLIStore()
        let reference = try store.create("anna@example.com", ["locale": "de_DE"])
        let server = try ServeProcess(store)
        let link = try server.link(to: "anna@example.com")
        let token = try XCTUnwrap(tokenOf(link))

        // A mail scanner fetches the link first; the customer's GET still shows the button.
        for _ in 0..<2 {
            let page = try HTTPClient.send(HTTPCall(path: pathAndQuery(link)), port: server.port)
            XCTAssertEqual(page.status, 200, page.body)
            XCTAssertTrue(page.body.contains("E-Mail-Adresse bestätigen"), page.body)
            XCTAssertTrue(page.body.contains("<button type=\"submit\">"), page.body)
            XCTAssertTrue(page.body.contains("action=\"/register/confirm\""), page.body)
            XCTAssertEqual(page.header("Content-Security-Policy")?.contains("frame-ancestors 'none'"), true)
            XCTAssertEqual(page.header("Content-Security-Policy")?.contains("form-action 'self'"), true)
            XCTAssertEqual(page.header("Referrer-Policy"), "no-referrer")
            XCTAssertEqual(page.header("Cache-Control"), "no-store")
            XCTAssertEqual(page.header("X-Content-Type-Options"), "nosniff")
        }
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Unverified", "a GET must not use the token")

        // The page's own form, as a browser posts it under no-referrer.
        let confirmed = try HTTPClient.send(
            .form("/register/confirm", [("token", token), ("_locale", "de_DE")], headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(confirmed.status, 200, confirmed.body)
        XCTAssertTrue(confirmed.body.contains("Deine E-Mail-Adresse ist bestätigt."), confirmed.body)
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Verified")
        let history = try store.run(["history", reference])
        XCTAssertTrue(history.stdout.contains("Email verified"), history.stdout)
        XCTAssertTrue(history.stdout.contains("storefront"), "history names the storefront as the actor: \(history.stdout)")

        // The English page of the same flow, chosen by _locale over the customer's locale.
        let english = try HTTPClient.send(HTTPCall(path: "/register/confirm?token=\(token)&_locale=en_US"), port: server.port)
        XCTAssertTrue(english.body.contains("This link was already used"), english.body)

        XCTAssertTrue(server.stderr.contains("GET /register/confirm 200"), server.stderr)
        XCTAssertFalse(server.stderr.contains(token), "the token must never reach the access log")
        XCTAssertFalse(server.stderr.contains("?"), "no query string in the access log: \(server.stderr)")
    }

    func testEachUnusableLinkHasItsOwnPageOfferingANewEmail() throws {
        let store = CLIStore()
        try store.create("used@example.com")
        let superseded = try store.create("replaced@example.com")
        let server = try ServeProcess(store)

        let usedLink = try server.link(to: "used@example.com")
        let usedToken = try XCTUnwrap(tokenOf(usedLink))
        XCTAssertEqual(try HTTPClient.send(.form("/register/confirm", [("token", usedToken)]), port: server.port).status, 200)

        let oldLink = try server.link(to: "replaced@example.com")
        XCTAssertEqual(try store.run(["resend-verification", superseded]).status, 0)
        _ = try server.link(to: "replaced@example.com", after: [oldLink])

        let expiring = try store.run(["settings", "verification-token-ttl", "1s"])
        XCTAssertEqual(expiring.status, 0, expiring.stderr)
        try store.create("late@example.com")
        let lateLink = try server.link(to: "late@example.com")
        usleep(1_200_000)

        let cases: [(token: String, title: String, status: Int)] = [
            (usedToken, "This link was already used", 410),
            ("not-a-token-at-all", "This link is not valid", 404),
            (try XCTUnwrap(tokenOf(oldLink)), "This link was replaced by a newer one", 410),
            (try XCTUnwrap(tokenOf(lateLink)), "This link has expired", 410),
        ]
        for item in cases {
            let shown = try HTTPClient.send(HTTPCall(path: "/register/confirm?token=\(item.token)"), port: server.port)
            let posted = try HTTPClient.send(.form("/register/confirm", [("token", item.token)]), port: server.port)
            for answer in [shown, posted] {
                XCTAssertEqual(answer.status, item.status, "\(item.title): \(answer.body)")
                XCTAssertTrue(answer.body.contains(item.title), "expected \"\(item.title)\": \(answer.body)")
                XCTAssertTrue(answer.body.contains("action=\"/register/resend\""), "the page offers a new email: \(answer.body)")
            }
        }
        XCTAssertEqual(try store.show("late@example.com")["status"] as? String, "Unverified")
    }

    func testResendAnswersTheSameForKnownAndUnknownAddressesAndIsRateLimited() throws {
        let store = CLIStore()
        let reference = try store.create("known@example.com")
        let server = try ServeProcess(store)
        let first = try server.link(to: "known@example.com")

        let answers = try HTTPClient.send([
            .form("/register/resend", [("email", "known@example.com"), ("_locale", "en_US")]),
            .form("/register/resend", [("email", "nobody@example.com"), ("_locale", "en_US")]),
        ], port: server.port)
        XCTAssertEqual(answers.map(\.status), [200, 200])
        XCTAssertEqual(answers[0].body, answers[1].body, "the answer must not tell whether the address is known")
        XCTAssertTrue(answers[0].body.contains("Check your inbox"), answers[0].body)
        // The known, Unverified customer got a new link that replaces the first.
        let second = try server.link(to: "known@example.com", after: [first])
        XCTAssertNotEqual(tokenOf(second), tokenOf(first))
        let history = try store.run(["history", reference])
        XCTAssertTrue(history.stdout.contains("VerificationRequested  by storefront"), history.stdout)

        // Five requests per address and window; the sixth from this address waits, another address does not.
        let more = try HTTPClient.send((0..<4).map { _ in .form("/register/resend", [("email", "nobody@example.com")]) }, port: server.port)
        XCTAssertEqual(more.map(\.status), [200, 200, 200, 429])
        XCTAssertNotNil(more[3].header("Retry-After").flatMap(Int.init), "429 carries Retry-After")
        let elsewhere = try HTTPClient.send(.form("/register/resend", [("email", "nobody@example.com")], source: "127.0.0.2"), port: server.port)
        XCTAssertEqual(elsewhere.status, 200)

        let empty = try HTTPClient.send(.form("/register/resend", [("email", "DE--1")], source: "127.0.0.3"), port: server.port)
        XCTAssertEqual(empty.status, 422, "only an email address is accepted")
        XCTAssertTrue(empty.body.contains("Enter the email address"), empty.body)
    }

    func testCrossSitePostsAreRefusedAndChangeNothing() throws {
        let store = CLIStore()
        let reference = try store.create("victim@example.com")
        let server = try ServeProcess(store)
        let token = try XCTUnwrap(tokenOf(try server.link(to: "victim@example.com")))
        let forged = try HTTPClient.send([
            .form("/register/confirm", [("token", token)], headers: ["Origin": "https://evil.example"]),
            .form("/register/confirm", [("token", token)], headers: ["Origin": "null", "Sec-Fetch-Site": "cross-site"]),
            .form("/register/confirm", [("token", token)], headers: ["Origin": "null"]),
            .form("/register/resend", [("email", "victim@example.com")], headers: ["Sec-Fetch-Site": "same-site"]),
        ], port: server.port)
        XCTAssertEqual(forged.map(\.status), [403, 403, 403, 403])
        XCTAssertTrue(forged[0].body.contains("This form was refused"), forged[0].body)
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Unverified")
        let ours = try HTTPClient.send(
            .form("/register/confirm", [("token", token)], headers: ["Origin": server.origin]), port: server.port)
        XCTAssertEqual(ours.status, 200, ours.body)
    }

    func testRepeatedBadTokensFromOneAddressGet429() throws {
        let store = CLIStore()
        try store.create("someone@example.com")
        let server = try ServeProcess(store)
        let link = try server.link(to: "someone@example.com")
        let guesses = try HTTPClient.send((0..<11).map { index in
            index % 2 == 0 ? .form("/register/confirm", [("token", "guess\(index)")]) : HTTPCall(path: "/register/confirm?token=guess\(index)")
        }, port: server.port)
        XCTAssertEqual(guesses.prefix(10).map(\.status), Array(repeating: 404, count: 10))
        XCTAssertEqual(guesses[10].status, 429, guesses[10].body)
        XCTAssertTrue(guesses[10].body.contains("Too many attempts"), guesses[10].body)
        XCTAssertGreaterThan(Int(guesses[10].header("Retry-After") ?? "") ?? 0, 0)
        // Even a good link waits from that address; another address is served.
        XCTAssertEqual(try HTTPClient.send(HTTPCall(path: pathAndQuery(link)), port: server.port).status, 429)
        XCTAssertEqual(try HTTPClient.send(HTTPCall(path: pathAndQuery(link), source: "127.0.0.2"), port: server.port).status, 200)
    }

    func testSigtermStopsTheServerAndTheDispatcherCleanly() throws {
        let store = CLIStore()
        try store.create("first@example.com")
        let server = try ServeProcess(store)
        _ = try server.link(to: "first@example.com")
        server.terminate()
        XCTAssertEqual(server.process.waitForExit(timeout: 15), 0, server.stderr)
        XCTAssertTrue(server.stderr.contains("Stopped."), server.stderr)
        XCTAssertFalse(TestSockets.canConnect(port: server.port))
        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testServeRefusesBadOptionsAndAMissingStore() throws {
        let store = CLIStore()
        let missing = try store.run(["serve"])
        XCTAssertEqual(missing.status, 3, missing.stderr)
        try store.create("x@example.com")
        for listen in ["localhost:8080", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "1.2.3:80"] {
            let bad = try store.run(["serve", "--listen", listen])
            XCTAssertEqual(bad.status, 2, "\(listen): \(bad.stderr)")
            XCTAssertTrue(bad.stderr.contains("--listen"), bad.stderr)
        }
        let none = try store.run(["serve", "--transport", "none", "--dir", "/tmp/x"])
        XCTAssertEqual(none.status, 2, none.stderr)
        for batch in ["0", "-1", "4097", "many", ""] {
            let bad = try store.run(["serve", "--commit-batch", batch, "--transport", "none"])
            XCTAssertEqual(bad.status, 2, "--commit-batch \(batch): \(bad.stderr)")
            XCTAssertTrue(bad.stderr.contains("--commit-batch must be a whole number from 1 to 4096"), bad.stderr)
        }
    }

    /// `--commit-batch 1` (one durable commit per request, for comparison) serves the same flow.
    func testCommitBatchOneIsAcceptedAndStillVerifies() throws {
        let store = CLIStore()
        let reference = try store.create("single@example.com")
        let server = try ServeProcess(store, arguments: ["--commit-batch", "1"])
        let token = try XCTUnwrap(tokenOf(try server.link(to: "single@example.com")))
        let confirmed = try HTTPClient.send(.form("/register/confirm", [("token", token)]), port: server.port)
        XCTAssertEqual(confirmed.status, 200, confirmed.body)
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Verified")
        let help = try store.run(["serve", "--help"])
        XCTAssertTrue(help.stdout.contains("--commit-batch"), help.stdout + help.stderr)
    }
}
