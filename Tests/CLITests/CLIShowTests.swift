import Foundation
import TestSupport
import XCTest

/// `show` reports the emails that wait for the customer — kind, state, expiry —, every email of its outbox with its
/// delivery, and never a link or a token:
/// whoever can run the CLI could otherwise verify an address they do not own or set someone's password.
final class CLIShowTests: XCTestCase {
    func testShowNeverPrintsALinkOrATokenBeforeOrAfterDispatch() throws {
        let store = CLIStore()
        try store.create("hidden@example.com", flags: ["send-password-token"])
        let before = try store.run(["show", "DE--1"])
        let beforeJSON = try store.run(["show", "DE--1", "--json"])
        // The delivered emails hold the tokens: take them from there, as the customer would.
        let verification = try store.token("DE--1")
        let password = try store.token("DE--1", kind: "password-set")
        let after = try store.run(["show", "DE--1"])
        let afterJSON = try store.run(["show", "DE--1", "--json"])
        for output in [before, beforeJSON, after, afterJSON] {
            XCTAssertEqual(output.status, 0, output.stderr)
            XCTAssertFalse(output.stdout.contains(verification), "the verification token leaked: \(output.stdout)")
            XCTAssertFalse(output.stdout.contains(password), "the password token leaked: \(output.stdout)")
            XCTAssertFalse(output.stdout.contains("token="), "a link leaked: \(output.stdout)")
            XCTAssertFalse(output.stdout.contains("\"link\""), output.stdout)
        }
        XCTAssertTrue(before.stdout.contains("verification to hidden@example.com (pending in the outbox), link valid until "), before.stdout)
        XCTAssertTrue(after.stdout.contains("password-set to hidden@example.com (sent in the outbox), link valid until "), after.stdout)
        let emails = try XCTUnwrap(try store.show("DE--1")["pendingEmails"] as? [[String: Any]])
        XCTAssertEqual(emails.map { $0["kind"] as? String }, ["verification", "password-set"])
        XCTAssertEqual(emails.map { $0["delivery"] as? String }, ["sent", "sent"])
        XCTAssertTrue(emails.allSatisfy { ($0["expiresAt"] as? String)?.hasSuffix("Z") == true }, "\(emails)")
        XCTAssertTrue(emails.allSatisfy { Set($0.keys) == ["kind", "to", "id", "expiresAt", "delivery"] }, "\(emails)")
        // Every email of the outbox too, newest first, as the back office's customer page lists them.
        XCTAssertTrue(before.stdout.contains("password-set to hidden@example.com: pending, 0 attempts, link works"), before.stdout)
        XCTAssertTrue(after.stdout.contains("verification to hidden@example.com: sent, 1 attempt, link works"), after.stdout)
        let outbox = try XCTUnwrap(try store.show("DE--1")["outbox"] as? [[String: Any]])
        XCTAssertEqual(outbox.map { $0["kind"] as? String }, ["password-set", "verification"])
        XCTAssertEqual(outbox.map { $0["delivery"] as? String }, ["sent", "sent"])
        XCTAssertEqual(outbox.map { $0["linkState"] as? String }, ["works", "works"])
        XCTAssertEqual(outbox.map { $0["id"] as? String }, emails.reversed().map { $0["id"] as? String })
    }
}
