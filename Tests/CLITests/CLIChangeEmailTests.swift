import Foundation
import TestSupport
import XCTest

/// `change-email CUSTOMER`: through the binary, against a real store — the pending change, its emails, the
/// confirmation by `verify-email`, the change at once, every refusal with nothing written, and races.
final class CLIChangeEmailTests: XCTestCase {
    private func message(_ store: CLIStore, id: String) throws -> String {
        try String(contentsOf: store.deliveredURL.appendingPathComponent("\(id)@customer-es.eml"), encoding: .utf8)
    }

    func testAChangeWaitsForTheNewInboxThenSwitchesEverywhere() throws {
        let store = CLIStore()
        let reference = try store.create("old@example.com", ["last-name": "Lee", "locale": "de_DE"])
        let other = try store.create("zed@example.com")
        XCTAssertEqual(try store.run(["verify-email", "--token", try store.token(reference)]).status, 0)
        let beforeChange = ISO.format(Date())
        Thread.sleep(forTimeInterval: 0.01)

        let change = try store.run(["--actor", "operator-7", "change-email", reference, "--email", " New@Example.com ", "--json"])
        XCTAssertEqual(change.status, 0, change.stderr)
        let answer = try jsonObject(change.stdout)
        XCTAssertEqual(answer["queuedEmails"] as? Int, 2)
        let customer = try XCTUnwrap(answer["customer"] as? [String: Any])
        XCTAssertEqual(customer["email"] as? String, "old@example.com", "the old address stays until confirmed")
        XCTAssertEqual(customer["pendingEmail"] as? String, "New@Example.com")

        // Until confirmed: the list, the search and lookups by email know the old address only.
        let listed = try store.run(["list", "--search", "new@"])
        XCTAssertFalse(listed.stdout.contains(reference), listed.stdout)
        XCTAssertEqual(try store.show("old@example.com")["reference"] as? String, reference)
        XCTAssertEqual(try store.run(["show", "new@example.com"]).status, 1)
        let items = try XCTUnwrap(try jsonObject(try store.run(["list", "--json"]).stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.first { $0["reference"] as? String == reference }?["pendingEmail"] as? String, "New@Example.com")
        XCTAssertTrue(items.first { $0["reference"] as? String == other }?["pendingEmail"] is NSNull)
        let exported = try store.run(["list", "--json", "--all"]).stdout
        XCTAssertTrue(exported.contains("\"pendingEmail\":\"New@Example.com\""), exported)
        // …and the pending address is taken for everyone else.
        let taken = try store.run(CLIStore.createArguments(email: "NEW@example.com"))
        XCTAssertEqual(taken.status, 1)
        XCTAssertTrue(taken.stderr.contains("Email is already used"), taken.stderr)
        XCTAssertEqual(try store.run(["change-email", other, "--email", "new@example.com"]).status, 1)

        // Two emails: the link to the new address, the notice to the old one (in the customer's locale).
        let links = try store.pendingLinks(reference)
        let changeLink = try XCTUnwrap(links.first { $0.kind == "email-change" }?.link)
        let shown = try store.show(reference)
        let pending = try XCTUnwrap((shown["pendingEmails"] as? [[String: Any]])?.first { $0["kind"] as? String == "email-change" })
        XCTAssertEqual(pending["to"] as? String, "New@Example.com")
        let linkMail = try message(store, id: try XCTUnwrap(pending["id"] as? String))
        XCTAssertTrue(linkMail.contains("To: Max Lee <New@Example.com>"), linkMail)
        XCTAssertTrue(linkMail.contains("/register/confirm?token="), linkMail)
        let outbox = try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)
        let notice = try XCTUnwrap((outbox["items"] as? [[String: Any]])?.first { $0["kind"] as? String == "email-change-notice" })
        XCTAssertEqual(notice["recipient"] as? String, "old@example.com")
        let noticeMail = try message(store, id: try XCTUnwrap(notice["id"] as? String))
        XCTAssertTrue(noticeMail.contains("To: Max Lee <old@example.com>"), noticeMail)
        XCTAssertTrue(noticeMail.contains("wird ge=C3=A4ndert") || noticeMail.contains("wird geändert"), noticeMail)
        XCTAssertFalse(noticeMail.contains("token="), "the notice carries no link that acts: \(noticeMail)")

        // The old sign-up token of another kind never confirms the new address.
        let history0 = try store.run(["history", reference])
        XCTAssertTrue(history0.stdout.contains("email: old@example.com → New@Example.com (pending verification"), history0.stdout)
        XCTAssertTrue(history0.stdout.contains("by operator-7"), history0.stdout)

        let confirm = try store.run(["verify-email", "--token", changeLink])
        XCTAssertEqual(confirm.status, 0, confirm.stderr)
        XCTAssertTrue(confirm.stdout.contains("Email was changed to New@Example.com."), confirm.stdout)
        let after = try store.show(reference)
        XCTAssertEqual(after["email"] as? String, "New@Example.com")
        XCTAssertTrue(after["pendingEmail"] is NSNull, "\(after)")
        XCTAssertEqual(after["status"] as? String, "Verified")
        XCTAssertEqual(try store.show(reference, asOf: beforeChange)["email"] as? String, "old@example.com")
        XCTAssertTrue(try store.run(["list", "--search", "new@"]).stdout.contains(reference))
        let listedAfter = try XCTUnwrap(try jsonObject(try store.run(["list", "--json", "--search", "new@"]).stdout)["items"] as? [[String: Any]])
        XCTAssertTrue(listedAfter.first?["pendingEmail"] is NSNull, "\(listedAfter)")
        XCTAssertFalse(try store.run(["list", "--search", "old@"]).stdout.contains(reference))
        XCTAssertEqual(try store.show("new@EXAMPLE.com")["reference"] as? String, reference)
        // The old address is free again.
        XCTAssertEqual(try store.run(CLIStore.createArguments(email: "old@example.com")).status, 0)

        let used = try store.run(["verify-email", "--token", changeLink])
        XCTAssertEqual(used.status, 1)
        XCTAssertTrue(used.stderr.contains("already used"), used.stderr)
        let history = try store.run(["history", reference])
        XCTAssertTrue(history.stdout.contains("EmailChangeConfirmed"), history.stdout)
        XCTAssertTrue(history.stdout.contains("email: old@example.com → New@Example.com"), history.stdout)
        let events = try store.events()
        XCTAssertEqual(Set(events.compactMap { $0["type"] as? String }).isSuperset(of: ["EmailChangeRequested", "EmailChangeConfirmed"]), true)
        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testConfirmingVerifiesAnUnverifiedCustomerAndTheAuditSaysSo() throws {
        let store = CLIStore()
        let reference = try store.create("typo@exmaple.com")
        XCTAssertEqual(try store.run(["change-email", reference, "--email", "right@example.com"]).status, 0)
        let link = try XCTUnwrap(try store.pendingLinks(reference).first { $0.kind == "email-change" }?.link)
        let signUpLink = try XCTUnwrap(try store.pendingLinks(reference).first { $0.kind == "verification" }?.link)
        XCTAssertEqual(try store.run(["verify-email", "--token", link]).status, 0)
        let audit = try store.run(["audit", "--customer", reference])
        XCTAssertTrue(audit.stdout.contains("Unverified → Verified"), audit.stdout)
        XCTAssertEqual(try store.run(["verify-email", "--token", signUpLink]).status, 1, "the old link verifies nothing more")
    }

    func testWithoutVerificationTheAddressChangesAtOnceAudited() throws {
        let store = CLIStore()
        let reference = try store.create("typo@exmaple.com")
        let oldLink = try XCTUnwrap(try store.pendingLinks(reference).first { $0.kind == "verification" }?.link)
        let change = try store.run(["--actor", "ops", "change-email", reference, "--email", "typo@example.com", "--without-verification", "--reason", "typo in the domain, confirmed on the phone"])
        XCTAssertEqual(change.status, 0, change.stderr)
        XCTAssertTrue(change.stdout.contains("Email was changed."), change.stdout)
        let shown = try store.show(reference)
        XCTAssertEqual(shown["email"] as? String, "typo@example.com")
        XCTAssertEqual(shown["status"] as? String, "Unverified", "nobody proved the new inbox")
        XCTAssertTrue(try store.run(["list", "--search", "example.com"]).stdout.contains(reference))
        let history = try store.run(["history", reference])
        XCTAssertTrue(history.stdout.contains("email: typo@exmaple.com → typo@example.com (changed without verification; reason: typo in the domain, confirmed on the phone)"), history.stdout)
        XCTAssertTrue(history.stdout.contains("by ops"), history.stdout)
        let event = try XCTUnwrap(try store.events().last { $0["type"] as? String == "EmailChanged" })
        XCTAssertEqual((event["data"] as? [String: Any])?["reason"] as? String, "typo in the domain, confirmed on the phone")
        // The link mailed to the mistyped address stops working; a new one goes to the right one.
        let stale = try store.run(["verify-email", "--token", oldLink])
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(stale.stderr.contains("replaced by a newer one"), stale.stderr)
        let fresh = try store.pendingLinks(reference).first { $0.kind == "verification" }
        XCTAssertEqual(try store.run(["verify-email", "--token", try XCTUnwrap(fresh?.link)]).status, 0)
        XCTAssertEqual(try store.run(CLIStore.createArguments(email: "typo@exmaple.com")).status, 0, "the old address is free")
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }

    func testEveryRefusalWritesNothing() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        try store.create("taken@example.com")
        let count = try store.eventCount()
        let cases: [(arguments: [String], status: Int32, stderr: String)] = [
            (["change-email", reference, "--email", "not-an-address"], 1, "email: Email is not a valid address"),
            (["change-email", reference, "--email", "TAKEN@example.com"], 1, "email: Email is already used"),
            (["change-email", reference, "--email", "Max@Example.com"], 1, "only in letter case"),
            (["change-email", reference, "--email", "new@example.com", "--without-verification"], 1, "reason: Reason is required"),
            (["change-email", reference, "--email", "new@example.com", "--reason", "why"], 1, "reason: Reason is recorded only"),
            (["change-email", reference, "--email", "bad", "--without-verification", "--reason", "r\u{1B}[31m"], 1, "reason: Reason must be printable"),
            (["change-email", "DE--99", "--email", "new@example.com"], 1, "customer"),
            (["change-email", reference], 2, "--email is required"),
            (["verify-email", "--token", "garbage"], 1, "unknown"),
        ]
        for item in cases {
            let output = try store.run(item.arguments)
            XCTAssertEqual(output.status, item.status, "\(item.arguments): \(output.stdout) \(output.stderr)")
            XCTAssertTrue(output.stderr.contains(item.stderr), "\(item.arguments): \(output.stderr)")
        }
        let both = try store.run(["change-email", reference, "--email", "bad", "--without-verification", "--json"])
        XCTAssertEqual(try CLIErrorJSON(both.stderr).fields, ["email", "reason"], both.stderr)
        XCTAssertEqual(try store.eventCount(), count)
        let same = try store.run(["change-email", reference, "--email", "max@example.com"])
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(same.stdout.contains("Nothing changed."), same.stdout)
        XCTAssertEqual(try store.eventCount(), count)
    }

    func testARetryWithTheSameRequestIdWritesOnce() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        let count = try store.eventCount()
        let arguments = ["change-email", reference, "--email", "new@example.com", "--request-id", "req-1"]
        XCTAssertEqual(try store.run(arguments).status, 0)
        XCTAssertEqual(try store.run(arguments).status, 0)
        XCTAssertEqual(try store.eventCount(), count + 1)
        XCTAssertNotEqual(try store.run(["change-email", reference, "--email", "other@example.com", "--request-id", "req-1"]).status, 0)
    }

    func testAnExpiredChangeReleasesTheAddress() throws {
        let store = CLIStore()
        XCTAssertEqual(try store.run(["settings", "verification-token-ttl", "1s"]).status, 0)
        let reference = try store.create("max@example.com")
        XCTAssertEqual(try store.run(["change-email", reference, "--email", "wanted@example.com"]).status, 0)
        let link = try XCTUnwrap(try store.pendingLinks(reference).first { $0.kind == "email-change" }?.link)
        XCTAssertEqual(try store.run(CLIStore.createArguments(email: "wanted@example.com")).status, 1)
        usleep(1_200_000)
        XCTAssertTrue(try store.show(reference)["pendingEmail"] is NSNull, "no longer pending once its link expired")
        let items = try XCTUnwrap(try jsonObject(try store.run(["list", "--json"]).stdout)["items"] as? [[String: Any]])
        XCTAssertTrue(items.first?["pendingEmail"] is NSNull, "\(items)")
        let expired = try store.run(["verify-email", "--token", link])
        XCTAssertEqual(expired.status, 1)
        XCTAssertTrue(expired.stderr.contains("expired"), expired.stderr)
        XCTAssertEqual(try store.run(CLIStore.createArguments(email: "wanted@example.com")).status, 0, "the reservation ended with the link")
        XCTAssertEqual(try store.show(reference)["email"] as? String, "max@example.com")
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }

    func testANewerChangeSupersedesTheOlderOne() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        XCTAssertEqual(try store.run(["change-email", reference, "--email", "first@example.com"]).status, 0)
        let first = try XCTUnwrap(try store.pendingLinks(reference).first { $0.kind == "email-change" }?.link)
        XCTAssertEqual(try store.run(["change-email", reference, "--email", "second@example.com"]).status, 0)
        XCTAssertEqual(try store.run(CLIStore.createArguments(email: "first@example.com")).status, 0, "the older reservation is released")
        let superseded = try store.run(["verify-email", "--token", first])
        XCTAssertEqual(superseded.status, 1)
        XCTAssertTrue(superseded.stderr.contains("replaced by a newer change"), superseded.stderr)
        XCTAssertEqual(try store.show(reference)["pendingEmail"] as? String, "second@example.com")
    }

    /// The check and the reservation happen in one write transaction: of two processes going for one address,
    /// exactly one gets it, whichever command each runs.
    func testTwoProcessesRacingForOneAddressExactlyOneWins() throws {
        let store = CLIStore()
        let first = try store.create("one@example.com")
        let second = try store.create("two@example.com")
        for round in 0..<4 {
            let address = "race\(round)@example.com"
            let contenders: [[String]] = round % 2 == 0
                ? [["--store", store.path, "change-email", first, "--email", address],
                   ["--store", store.path] + CLIStore.createArguments(email: address.uppercased())]
                : [["--store", store.path, "change-email", first, "--email", address],
                   ["--store", store.path, "change-email", second, "--email", address, "--without-verification", "--reason", "race"]]
            let outputs = runConcurrently(contenders)
            let statuses = outputs.map { $0?.status }
            XCTAssertEqual(statuses.filter { $0 == 0 }.count, 1, "round \(round): \(outputs.map { $0?.stderr ?? "did not finish" })")
            XCTAssertEqual(statuses.filter { $0 == 1 }.count, 1, "round \(round)")
            let loser = try XCTUnwrap(outputs.first { $0?.status == 1 } ?? nil)
            XCTAssertTrue(loser.stderr.contains("Email is already used"), loser.stderr)
        }
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }

    /// kill -9 at any moment of a stream of email changes and confirmations: the projections stay in step with
    /// the log, and every address belongs to at most one customer.
    func testKillMinus9DuringChangesLeavesTheProjectionsConsistent() throws {
        let store = CLIStore()
        let references = try (0..<3).map { try store.create("start\($0)@example.com") }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<10 {
            let reference = references[round % references.count]
            let arguments = round % 3 == 2
                ? ["--store", store.path, "change-email", reference, "--email", "k\(round)@example.com", "--without-verification", "--reason", "kill test"]
                : ["--store", store.path, "change-email", reference, "--email", "k\(round)@example.com"]
            let process = try RunningProcess(customerES, arguments)
            usleep(UInt32.random(in: 0...80_000, using: &generator))
            process.kill9()
            let verify = try store.run(["rebuild", "--verify"], timeout: 60)
            XCTAssertEqual(verify.status, 0, "round \(round): projections out of step after kill -9: \(verify.stdout) \(verify.stderr)")
        }
        // Whatever landed, each customer's current address finds it, and a pending one blocks others.
        for reference in references {
            let shown = try store.show(reference)
            let email = try XCTUnwrap(shown["email"] as? String)
            XCTAssertEqual(try store.show(email)["reference"] as? String, reference)
            if let pending = shown["pendingEmail"] as? String {
                XCTAssertEqual(try store.run(CLIStore.createArguments(email: pending)).status, 1)
            }
        }
    }

    /// The storefront's confirm page takes the email-change link too, through the same application function.
    func testTheConfirmPageConfirmsAnEmailChange() throws {
        let store = CLIStore()
        let reference = try store.create("page@example.com", ["locale": "de_DE"])
        let server = try ServeProcess(store)
        XCTAssertEqual(try store.run(["change-email", reference, "--email", "moved@example.com"]).status, 0)
        let link = try server.link(to: "moved@example.com")
        let token = try XCTUnwrap(tokenOf(link))
        let page = try HTTPClient.send(HTTPCall(path: pathAndQuery(link)), port: server.port)
        XCTAssertEqual(page.status, 200, page.body)
        XCTAssertTrue(page.body.contains("<button type=\"submit\">"), page.body)
        XCTAssertEqual(try store.show(reference)["email"] as? String, "page@example.com", "a GET must not use the token")
        let confirmed = try HTTPClient.send(
            .form("/register/confirm", [("token", token), ("_locale", "de_DE")], headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(confirmed.status, 200, confirmed.body)
        XCTAssertTrue(confirmed.body.contains("Deine E-Mail-Adresse ist bestätigt."), confirmed.body)
        XCTAssertEqual(try store.show(reference)["email"] as? String, "moved@example.com")
        let again = try HTTPClient.send(.form("/register/confirm", [("token", token)], headers: HTTPCall.browserSameOrigin), port: server.port)
        XCTAssertEqual(again.status, 410, again.body)
    }
}
