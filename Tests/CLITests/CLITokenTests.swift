import Foundation
import TestSupport
import XCTest

/// Verification and password tokens through the CLI.
final class CLITokenTests: XCTestCase {
    /// Runs `verify-email --token TOKEN --json` expecting a rejection; returns the parsed error.
    private func rejectedVerify(
        _ store: CLIStore, _ token: String, file: StaticString = #filePath, line: UInt = #line
    ) throws -> CLIErrorJSON {
        let output = try store.run(["verify-email", "--token", token, "--json"])
        XCTAssertEqual(output.status, 1, "verify-email must be rejected with exit 1: \(output.stdout) \(output.stderr)", file: file, line: line)
        XCTAssertEqual(output.stdout, "", "nothing printed as success", file: file, line: line)
        return try CLIErrorJSON(output.stderr, file: file, line: line)
    }

    func testVerificationTokenIsSingleUse() throws {
        let store = CLIStore()
        try store.create("single@example.com")
        let token = try store.token("DE--1")
        let first = try store.run(["verify-email", "--token", token])
        XCTAssertEqual(first.status, 0, first.stderr)
        let verifiedAt = try store.show("DE--1")["verifiedAt"] as? String
        XCTAssertNotNil(ISO.parse(verifiedAt))

        let again = try rejectedVerify(store, token)
        XCTAssertEqual(again.code, "tokenUsed")
        XCTAssertTrue(again.message.localizedCaseInsensitiveContains("already used"), again.message)
        // The text form says the same on stderr.
        let text = try store.run(["verify-email", "--token", token])
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stderr.contains("already used"), text.stderr)
        // Nothing changed: the first verification time stands.
        XCTAssertEqual(try store.show("DE--1")["verifiedAt"] as? String, verifiedAt)
    }

    func testUnknownAndGarbledTokensAreRejected() throws {
        let store = CLIStore()
        try store.create("garbled@example.com", flags: ["send-password-token"])
        let token = try store.token("DE--1")
        let passwordToken = try store.token("DE--1", kind: "password-set")

        var flipped = Array(token)
        let middle = flipped.count / 2
        flipped[middle] = flipped[middle] == "A" ? "B" : "A"
        let candidates = [
            "garbage", String(flipped), String(token.dropLast()), token + "A", String(repeating: "A", count: token.count),
        ]
        // A password token is not a verification token, and the refusal says which kind it is (issue 9.19).
        XCTAssertEqual(try rejectedVerify(store, passwordToken).code, "wrongTokenKind")
        var messages: Set<String> = []
        for candidate in candidates {
            let error = try rejectedVerify(store, candidate)
            XCTAssertEqual(error.code, "tokenUnknown", "token \(candidate): \(error.message)")
            XCTAssertTrue(error.message.localizedCaseInsensitiveContains("unknown"), error.message)
            messages.insert(error.message)
        }
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Unverified", "a bad token verifies nobody")
        // The real token still works afterwards.
        XCTAssertEqual(try store.run(["verify-email", "--token", token]).status, 0)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Verified")
    }

    func testExpiredVerificationToken() throws {
        let store = CLIStore()
        let ttl = try store.run(["settings", "verification-token-ttl", "1s"])
        XCTAssertEqual(ttl.status, 0, ttl.stderr)
        try store.create("expiring@example.com")
        let token = try store.token("DE--1")
        Thread.sleep(forTimeInterval: 1.2)

        let error = try rejectedVerify(store, token)
        XCTAssertEqual(error.code, "tokenExpired")
        XCTAssertTrue(error.message.localizedCaseInsensitiveContains("expired"), error.message)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Unverified")

        // A fresh link (with a long lifetime again) works.
        XCTAssertEqual(try store.run(["settings", "verification-token-ttl", "7d"]).status, 0)
        let resend = try store.run(["resend-verification", "DE--1"])
        XCTAssertEqual(resend.status, 0, resend.stderr)
        let fresh = try store.token("DE--1")
        XCTAssertNotEqual(fresh, token)
        XCTAssertEqual(try store.run(["verify-email", "--token", fresh]).status, 0)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Verified")
    }

    func testResendSupersedesTheOldTokenAndVerifiedCustomersAreRejected() throws {
        let store = CLIStore()
        try store.create("resend@example.com")
        let old = try store.token("DE--1")
        let resend = try store.run(["resend-verification", "RESEND@example.com"])
        XCTAssertEqual(resend.status, 0, resend.stderr)
        XCTAssertEqual(CLIStore.reference(in: resend.stdout), "DE--1")
        let new = try store.token("DE--1")  // exactly one verification email is waiting
        XCTAssertNotEqual(new, old)

        let superseded = try rejectedVerify(store, old)
        XCTAssertEqual(superseded.code, "tokenSuperseded")
        XCTAssertTrue(superseded.message.localizedCaseInsensitiveContains("newer"), superseded.message)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Unverified")

        XCTAssertEqual(try store.run(["verify-email", "--token", new]).status, 0)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Verified")

        // An older link of a customer who is now Verified: "already verified".
        let alreadyVerified = try rejectedVerify(store, old)
        XCTAssertEqual(alreadyVerified.code, "alreadyVerified")
        XCTAssertTrue(alreadyVerified.message.localizedCaseInsensitiveContains("already verified"), alreadyVerified.message)

        // resend-verification on a Verified customer is refused, and writes nothing.
        let resendVerified = try store.run(["resend-verification", "DE--1", "--json"])
        XCTAssertEqual(resendVerified.status, 1, resendVerified.stdout)
        let resendError = try CLIErrorJSON(resendVerified.stderr)
        XCTAssertTrue(resendError.message.localizedCaseInsensitiveContains("already verified"), resendError.message)
        XCTAssertEqual(try store.pendingLinks("DE--1").filter { $0.kind == "verification" }.count, 0)

        // Unknown customers are rejected for every customer command.
        for command in ["resend-verification", "send-password-token"] {
            let unknown = try store.run([command, "nobody@example.com"])
            XCTAssertEqual(unknown.status, 1, "\(command) of an unknown customer: \(unknown.stderr)")
            XCTAssertTrue(unknown.stderr.contains("nobody@example.com"), unknown.stderr)
        }

        // The token errors are distinct (the expired one has its own code, see testExpiredVerificationToken), so that a person (and a script) can tell them apart.
        let unknown = try rejectedVerify(store, "garbage")
        let used = try rejectedVerify(store, new)
        let codes = [unknown.code, used.code, superseded.code, alreadyVerified.code]
        XCTAssertEqual(Set(codes).count, codes.count, "distinct codes: \(codes)")
        let messages = [unknown.message, used.message, superseded.message, alreadyVerified.message]
        XCTAssertEqual(Set(messages).count, messages.count, "distinct messages: \(messages)")
    }

    func testSendPasswordTokenTwiceShowsOnlyTheNewestLink() throws {
        let store = CLIStore()
        try store.create("password@example.com")
        XCTAssertEqual(try store.pendingLinks("DE--1").map(\.kind), ["verification"])

        let first = try store.run(["send-password-token", "DE--1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(CLIStore.reference(in: first.stdout), "DE--1", first.stdout)
        let firstToken = try store.token("DE--1", kind: "password-set")
        let firstLink = try XCTUnwrap(try store.pendingLinks("DE--1").first { $0.kind == "password-set" }?.link)
        XCTAssertTrue(firstLink.hasPrefix("http://localhost:8080/password/restore?token="), firstLink)
        XCTAssertTrue(firstLink.hasSuffix("&_locale=en_US"), firstLink)

        let second = try store.run(["send-password-token", "PASSWORD@EXAMPLE.COM"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let links = try store.pendingLinks("DE--1")
        XCTAssertEqual(links.filter { $0.kind == "password-set" }.count, 1, "only the newest password link: \(links)")
        let secondToken = try store.token("DE--1", kind: "password-set")
        XCTAssertNotEqual(secondToken, firstToken, "a new password token replaces the previous one")
        XCTAssertFalse(links.contains { $0.link.contains(firstToken) }, "the old password link is gone")
        XCTAssertEqual(links.filter { $0.kind == "verification" }.count, 1, "the verification email is unaffected")
    }

    func testNoPlaintextTokenInTheStore() throws {
        let store = CLIStore()
        let email = "secret-tokens@example.com"
        try store.create(email, flags: ["send-password-token"])
        let verification = try store.token("DE--1")
        let password = try store.token("DE--1", kind: "password-set")
        // Exercise more of the store (a resend, another password token) before looking.
        XCTAssertEqual(try store.run(["send-password-token", "DE--1"]).status, 0)
        let password2 = try store.token("DE--1", kind: "password-set")
        XCTAssertEqual(try store.run(["resend-verification", "DE--1"]).status, 0)
        let verification2 = try store.token("DE--1")

        let files = try storeFiles(store.url)
        XCTAssertTrue(files.contains { $0.lastPathComponent == "data.mdb" }, "the store has its LMDB file: \(files)")
        // Positive control: the search does find what the log does hold in plain bytes.
        XCTAssertTrue(try files.contains { try Data(contentsOf: $0).range(of: Data(email.utf8)) != nil },
                      "the search would find stored text (the email)")
        // Neither does the log as `events` prints it.
        let log = try store.run(["events", "--json"])
        XCTAssertEqual(log.status, 0, log.stderr)
        XCTAssertTrue(log.stdout.contains(email), "the positive control holds for the printed log")
        for token in [verification, password, password2, verification2] {
            XCTAssertFalse(log.stdout.contains(token), "token \(token) printed by events")
        }
        for token in [verification, password, password2, verification2] {
            var needles = [Data(token.utf8)]
            if let raw = base64URLDecode(token) { needles.append(raw) }
            for file in files {
                let contents = try Data(contentsOf: file)
                for needle in needles {
                    XCTAssertNil(contents.range(of: needle), "token \(token) found in \(file.lastPathComponent)")
                }
            }
        }
    }

    private func storeFiles(_ folder: URL) throws -> [URL] {
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]))
        return enumerator.compactMap { $0 as? URL }.filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }

    private func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
