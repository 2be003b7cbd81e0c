import Foundation
import TestSupport
import XCTest

/// `settings` lists the store settings and changes one at a time, validating the value.
final class CLISettingsTests: XCTestCase {
    static let defaults: [(String, String)] = [
        ("reference-prefix", "DE"), ("locales", "en_US,de_DE"), ("default-locale", "en_US"),
        ("base-url", "http://localhost:8080"), ("sender", "Shop <no-reply@localhost>"),
        ("verification-token-ttl", "7d"), ("password-token-ttl", "2h"),
        ("delivery-max-attempts", "31"), ("delivery-backoff", "30s,1h"), ("delivery-lease", "1m"), ("helo-name", "auto"),
        ("sign-in-requires-verified", "true"), ("sign-in-max-failures", "5"), ("sign-in-lock", "1m,15m"),
    ]

    func testListingShowsTheFourteenKeysWithTheirDefaults() throws {
        let store = CLIStore()
        try store.create("someone@example.com")  // the store exists

        let text = try store.run(["settings"])
        XCTAssertEqual(text.status, 0, text.stderr)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 14, "one line per setting: \(text.stdout)")
        for (key, value) in Self.defaults {
            XCTAssertTrue(lines.contains { $0.hasPrefix(key + " ") && $0.hasSuffix(value) }, "\(key) = \(value) in \(text.stdout)")
        }

        let json = try store.settings()
        XCTAssertEqual(json.count, 14, "\(json)")
        for (key, value) in Self.defaults {
            XCTAssertEqual(json[key], value, key)
        }
    }

    func testEachKeyAcceptsAValidValueAndRejectsAnInvalidOne() throws {
        let store = CLIStore()
        try store.create("someone@example.com")
        // key, valid value, how `settings` then shows it, invalid values
        let table: [(key: String, valid: String, shown: String, invalid: [String])] = [
            ("reference-prefix", "AT_2", "AT_2", ["X-Y", "", String(repeating: "A", count: 21), "A B"]),
            ("default-locale", "de_DE", "de_DE", ["it_IT", "german", "de-DE"]),
            ("locales", "en_US,de_DE,fr_FR", "en_US,de_DE,fr_FR", ["english", "en_US;de_DE", "en_US,de", "en_US,fr_FR"]),
            ("base-url", "https://shop.example.com", "https://shop.example.com", ["ftp://shop.example.com", "not a url", "shop.example.com"]),
            ("sender", "Acme Shop <hello@acme.test>", "Acme Shop <hello@acme.test>", ["hello@acme.test", "Acme Shop", "Acme <>"]),
            ("verification-token-ttl", "15m", "15m", ["0s", "7 days", "1.5h", "forever", "2x"]),
            ("password-token-ttl", "3h", "3h", ["0h", "2 hours", "h", "abc"]),
            ("delivery-max-attempts", "12", "12", ["0", "1001", "ten", "1.5"]),
            ("delivery-backoff", "1m,2h", "1m,2h", ["30s", "1h,30s", "30s,2d", "30s;1h", "0s,1h"]),
            ("delivery-lease", "120s", "2m", ["0s", "2d", "soon"]),
            ("helo-name", "Mail.Example.COM", "mail.example.com", ["bad name", "x-.example", "a..b", "x_y.example"]),
        ]
        for entry in table {
            let before = try store.settings()
            let head = try store.eventCount()
            for invalid in entry.invalid {
                let rejected = try store.run(["settings", entry.key, invalid])
                XCTAssertEqual(rejected.status, 1, "\(entry.key) \"\(invalid)\" must be rejected: \(rejected.stdout)")
                XCTAssertTrue(rejected.stderr.contains(entry.key), "stderr names \(entry.key): \(rejected.stderr)")
                XCTAssertEqual(try store.settings(), before, "rejected \(entry.key) \"\(invalid)\" wrote nothing")
            }
            XCTAssertEqual(try store.eventCount(), head, "rejected \(entry.key) values appended no event")
            let json = try store.run(["settings", entry.key, "x y z", "--json"])
            XCTAssertEqual(json.status, 1)
            XCTAssertTrue(try CLIErrorJSON(json.stderr).fields.contains(entry.key), "the JSON problem names \(entry.key): \(json.stderr)")

            let accepted = try store.run(["settings", entry.key, entry.valid])
            XCTAssertEqual(accepted.status, 0, "\(entry.key) \"\(entry.valid)\": \(accepted.stderr)")
            var expected = before
            expected[entry.key] = entry.shown
            XCTAssertEqual(try store.settings(), expected, "only \(entry.key) changed")
            let change = try XCTUnwrap(try store.events().last, "the change is an event")
            XCTAssertEqual(try store.eventCount(), head + 1, "one event per change (audited)")
            XCTAssertEqual(change["stream"] as? String, "settings")
        }
        let unknownKey = try store.run(["settings", "colour", "blue"])
        XCTAssertEqual(unknownKey.status, 1)
        XCTAssertTrue(unknownKey.stderr.contains("colour"), unknownKey.stderr)
    }

    func testReferencePrefixContinuesTheSameCounter() throws {
        let store = CLIStore()
        XCTAssertEqual(try store.create("one@example.com"), "DE--1")
        XCTAssertEqual(try store.run(["settings", "reference-prefix", "XY"]).status, 0)
        XCTAssertEqual(try store.create("two@example.com"), "XY--2", "the counter is shared across prefixes")
        XCTAssertEqual(try store.create("three@example.com"), "XY--3")
        XCTAssertEqual(try store.run(["settings", "reference-prefix", "DE"]).status, 0)
        XCTAssertEqual(try store.create("four@example.com"), "DE--4", "references are never reused")
        XCTAssertEqual(try store.show("XY--2")["email"] as? String, "two@example.com")
        XCTAssertEqual(try store.show("DE--1")["email"] as? String, "one@example.com")
    }

    func testDefaultLocaleAndBaseURLShapeTheNewCustomersLinks() throws {
        let store = CLIStore()
        try store.create("before@example.com")
        XCTAssertEqual(try store.run(["settings", "default-locale", "de_DE"]).status, 0)
        XCTAssertEqual(try store.run(["settings", "base-url", "https://shop.example.com/"]).status, 0)
        XCTAssertEqual(try store.settings()["base-url"], "https://shop.example.com")

        try store.create("german@example.com", flags: ["send-password-token"])
        let german = try store.show("DE--2")
        XCTAssertEqual(german["locale"] as? String, "de_DE", "a create without --locale gets the default locale")
        let links = try store.pendingLinks("DE--2")
        let verification = try XCTUnwrap(links.first { $0.kind == "verification" }?.link)
        XCTAssertTrue(verification.hasPrefix("https://shop.example.com/register/confirm?token="), verification)
        XCTAssertTrue(verification.hasSuffix("&_locale=de_DE"), verification)
        let password = try XCTUnwrap(links.first { $0.kind == "password-set" }?.link)
        XCTAssertTrue(password.hasPrefix("https://shop.example.com/password/restore?token="), password)
        XCTAssertTrue(password.hasSuffix("&_locale=de_DE"), password)

        // An explicit locale still wins, and the earlier customer keeps en_US.
        try store.create("english@example.com", ["locale": "en_US"])
        XCTAssertEqual(try store.show("DE--3")["locale"] as? String, "en_US")
        XCTAssertTrue(try store.token("DE--3").count > 0)
        XCTAssertTrue(try store.pendingLinks("DE--3").allSatisfy { $0.link.hasSuffix("&_locale=en_US") })
        XCTAssertEqual(try store.show("DE--1")["locale"] as? String, "en_US")

        // A token of a link built from the new base URL verifies as well.
        XCTAssertEqual(try store.run(["verify-email", "--token", try XCTUnwrap(tokenOf(verification))]).status, 0)
        XCTAssertEqual(try store.show("DE--2")["status"] as? String, "Verified")
    }

    func testLocalesSettingControlsWhichLocalesCreateAccepts() throws {
        let store = CLIStore()
        let rejected = try store.run(CLIStore.createArguments(email: "french@example.com", ["locale": "fr_FR"]))
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(rejected.stderr.contains("error: locale: "), rejected.stderr)
        XCTAssertEqual(try store.run(["settings", "locales", "en_US,de_DE,fr_FR"]).status, 0)
        XCTAssertEqual(try store.create("french@example.com", ["locale": "fr_FR"]), "DE--1")
        XCTAssertEqual(try store.show("DE--1")["locale"] as? String, "fr_FR")
    }

    func testSettingsListingOnAMissingStoreIsAReadAndExits3() throws {
        // "A read command on a missing store says so and exits 3"; listing the settings is a read.
        let store = CLIStore()
        let output = try store.run(["settings"])
        XCTAssertEqual(output.status, 3, "settings (listing) on a missing store: \(output.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.path), "listing settings must not create the store")
    }
}
