import CustomerAggregate
import Foundation
import XCTest

final class SettingsDeciderTests: XCTestCase {
    private func change(_ key: String, _ value: String, current: StoreSettings = .defaults,
                        file: StaticString = #filePath, line: UInt = #line) -> [SettingChanged] {
        do {
            return try SettingsDecider.decide(key: key, value: value, current: current)
        } catch {
            XCTFail("expected a change, got \(error)", file: file, line: line)
            return []
        }
    }

    @discardableResult
    private func refusal(_ key: String, _ value: String, current: StoreSettings = .defaults,
                         file: StaticString = #filePath, line: UInt = #line) -> DomainError? {
        do {
            let events = try SettingsDecider.decide(key: key, value: value, current: current)
            XCTFail("expected a refusal, got \(events)", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(error.code, .invalidSetting, file: file, line: line)
            XCTAssertEqual(error.problems.count, 1, file: file, line: line)
            return error
        }
    }

    func testDefaultsMatchTheContract() {
        let expected: [SettingKey: String] = [
            .referencePrefix: "DE", .locales: "en_US,de_DE", .defaultLocale: "en_US",
            .baseURL: "http://localhost:8080", .sender: "Shop <no-reply@localhost>",
            .verificationTokenTTL: "7d", .passwordTokenTTL: "2h",
            .deliveryMaxAttempts: "31", .deliveryBackoff: "30s,1h", .deliveryLease: "1m", .heloName: "auto",
            .signInRequiresVerified: "true", .signInMaxFailures: "5", .signInLock: "1m,15m",
        ]
        for key in SettingKey.allCases {
            XCTAssertEqual(StoreSettings.defaults.value(for: key), expected[key], key.rawValue)
        }
        XCTAssertEqual(StoreSettings.defaults.verificationTokenTTL, 604_800)
        XCTAssertEqual(StoreSettings.defaults.passwordTokenTTL, 7_200)
    }

    func testUnknownKeyListsTheKeys() {
        let error = refusal("colour", "red")
        XCTAssertEqual(
            error?.message,
            "Unknown setting 'colour'; the settings are: reference-prefix, locales, default-locale, base-url, sender, "
                + "verification-token-ttl, password-token-ttl, delivery-max-attempts, delivery-backoff, delivery-lease, "
                + "helo-name, sign-in-requires-verified, sign-in-max-failures, sign-in-lock"
        )
        XCTAssertEqual(error?.problems.first?.field, "key")
    }

    func testKeysMatchCaseInsensitively() {
        XCTAssertEqual(change("Reference-Prefix", "AT"), [SettingChanged(key: .referencePrefix, value: "AT")])
    }

    func testAValueEqualToTheCurrentOneChangesNothing() {
        for key in SettingKey.allCases {
            XCTAssertEqual(change(key.rawValue, key.defaultValue), [], key.rawValue)
        }
        XCTAssertEqual(change("verification-token-ttl", "168h"), [])
        XCTAssertEqual(change("reference-prefix", "de"), [])
    }

    // MARK: - reference-prefix

    func testReferencePrefix() {
        XCTAssertEqual(change("reference-prefix", " shop_2 "), [SettingChanged(key: .referencePrefix, value: "SHOP_2")])
        XCTAssertEqual(change("reference-prefix", String(repeating: "A", count: 20)).first?.value.count, 20)
        for bad in ["", "D-E", "DE--", "D E", String(repeating: "A", count: 21), "DÉ"] {
            let error = refusal("reference-prefix", bad)
            XCTAssertEqual(error?.problems.first?.field, "reference-prefix")
            XCTAssertTrue(error?.message.contains("1–20 letters, digits or _") == true, error?.message ?? "")
        }
    }

    // MARK: - locales and default-locale

    func testLocalesAreCanonicalisedAndDeduplicated() {
        XCTAssertEqual(
            change("locales", " en_us , DE_DE,fr_FR,en_US"), [SettingChanged(key: .locales, value: "en_US,de_DE,fr_FR")]
        )
    }

    func testLocalesMustBeLlCC() {
        for bad in ["", "en_US,", "en-US", "english", "en_USA", "e1_US", "en_US;de_DE"] {
            let error = refusal("locales", bad)
            XCTAssertTrue(error?.message.contains("ll_CC") == true, "\(bad): \(error?.message ?? "")")
        }
    }

    func testLocalesMustKeepTheDefaultLocale() {
        let error = refusal("locales", "de_DE,fr_FR")
        XCTAssertEqual(error?.message, "locales must include the default locale en_US; change default-locale first")
        XCTAssertEqual(error?.remedy, .changeSetting(key: "default-locale", example: "de_DE"))
    }

    func testDefaultLocaleMustBeOneOfTheLocales() {
        XCTAssertEqual(change("default-locale", "DE_de"), [SettingChanged(key: .defaultLocale, value: "de_DE")])
        XCTAssertEqual(
            refusal("default-locale", "fr_FR")?.message, "default-locale must be one of the store's locales: en_US, de_DE"
        )
        XCTAssertTrue(refusal("default-locale", "french")?.message.contains("ll_CC") == true)
        let withFrench = StoreSettings(locales: ["en_US", "de_DE", "fr_FR"])
        XCTAssertEqual(change("default-locale", "fr_FR", current: withFrench), [SettingChanged(key: .defaultLocale, value: "fr_FR")])
    }

    // MARK: - base-url

    func testBaseURL() {
        XCTAssertEqual(change("base-url", "https://Shop.Example.com/"), [SettingChanged(key: .baseURL, value: "https://shop.example.com")])
        XCTAssertEqual(change("base-url", "HTTP://localhost:9000/de//"), [SettingChanged(key: .baseURL, value: "http://localhost:9000/de")])
        XCTAssertEqual(change("base-url", "https://127.0.0.1").first?.value, "https://127.0.0.1")
        for bad in [
            "", "shop.example.com", "ftp://shop.example.com", "https://", "https:///path", "https://shop.example.com?x=1",
            "https://shop.example.com/#top", "https://user@shop.example.com", "https://shop example.com",
            "https://shop.example.com:0", "https://shop.example.com:99999", "https://shop.example.com:http",
            "javascript:alert(1)", "https://shop.example.com/\npath",
        ] {
            let error = refusal("base-url", bad)
            XCTAssertTrue(error?.message.contains("absolute http(s) URL") == true, "\(bad): \(error?.message ?? "")")
        }
    }

    // MARK: - sender

    func testSender() {
        XCTAssertEqual(
            change("sender", "  ACME Shop   <shop@acme.example> "), [SettingChanged(key: .sender, value: "ACME Shop <shop@acme.example>")]
        )
        XCTAssertEqual(change("sender", "Ünïcode Shop <no-reply@localhost>").first?.value, "Ünïcode Shop <no-reply@localhost>")
        XCTAssertEqual(change("sender", "\"ACME, Inc.\" <shop@acme.example>").first?.value, "ACME, Inc. <shop@acme.example>")
        for bad in [
            "", "shop@acme.example", "<shop@acme.example>", "Shop <>", "Shop <shop>", "Shop <shop@@acme>",
            "Shop <shop@acme.example", "Shop\r\nBcc: x <shop@acme.example>", "Sh<op <shop@acme.example>",
            "Shop <sh op@acme.example>", "Sh\"op <shop@acme.example>", "\"\" <shop@acme.example>",
        ] {
            let error = refusal("sender", bad)
            XCTAssertTrue(error?.message.contains("Name <address>") == true, "\(bad): \(error?.message ?? "")")
        }
    }

    func testEchoedValuesCannotBreakTheLine() {
        let error = refusal("sender", "Shop\r\nBcc: x")
        XCTAssertFalse(error?.message.contains("\n") == true)
        XCTAssertTrue(error?.message.contains(#"Shop\r\nBcc: x"#) == true, error?.message ?? "")
    }

    // MARK: - TTLs

    func testTokenLifetimes() {
        XCTAssertEqual(change("verification-token-ttl", "72h"), [SettingChanged(key: .verificationTokenTTL, value: "3d")])
        XCTAssertEqual(change("password-token-ttl", "90s"), [SettingChanged(key: .passwordTokenTTL, value: "90s")])
        XCTAssertEqual(change("password-token-ttl", "15M"), [SettingChanged(key: .passwordTokenTTL, value: "15m")])
        for key in ["verification-token-ttl", "password-token-ttl"] {
            for bad in ["", "7", "d", "0d", "-1h", "1.5h", "2w", "7 d", "3651d", "1000000000s"] {
                let error = refusal(key, bad)
                XCTAssertEqual(error?.problems.first?.field, key)
                XCTAssertTrue(error?.message.contains("a duration such as 90s, 15m, 2h or 7d") == true, error?.message ?? "")
            }
        }
    }

    // MARK: - Applying changes

    func testApplyingEveryChangeUpdatesTheSettings() {
        let changes = [
            SettingChanged(key: .referencePrefix, value: "AT"),
            SettingChanged(key: .locales, value: "en_US,de_DE,de_AT"),
            SettingChanged(key: .defaultLocale, value: "de_AT"),
            SettingChanged(key: .baseURL, value: "https://shop.example.at"),
            SettingChanged(key: .sender, value: "Shop AT <hallo@shop.example.at>"),
            SettingChanged(key: .verificationTokenTTL, value: "3d"),
            SettingChanged(key: .passwordTokenTTL, value: "30m"),
        ]
        XCTAssertEqual(StoreSettings.replay(changes), StoreSettings(
            referencePrefix: "AT", locales: ["en_US", "de_DE", "de_AT"], defaultLocale: "de_AT",
            baseURL: "https://shop.example.at", sender: "Shop AT <hallo@shop.example.at>",
            verificationTokenTTL: 3 * 86_400, passwordTokenTTL: 1_800
        ))
    }

    func testDecidedChangesApplyToWhatWasDecided() throws {
        var settings = StoreSettings.defaults
        for (key, value) in [("locales", "en_US,de_DE,fr_FR"), ("default-locale", "fr_FR"), ("locales", "fr_FR")] {
            for event in try SettingsDecider.decide(key: key, value: value, current: settings) {
                settings = settings.applying(event)
            }
        }
        XCTAssertEqual(settings.locales, ["fr_FR"])
        XCTAssertEqual(settings.defaultLocale, "fr_FR")
        XCTAssertEqual(settings.value(for: .locales), "fr_FR")
    }

    func testAnUnparseableStoredValueIsIgnoredOnReplay() {
        let settings = StoreSettings.defaults.applying(SettingChanged(key: .passwordTokenTTL, value: "soon"))
        XCTAssertEqual(settings, .defaults)
    }

    func testEveryKeyHasAnExpectedFormAndADefault() {
        for key in SettingKey.allCases {
            XCTAssertFalse(key.expectedForm.isEmpty)
            XCTAssertEqual(SettingKey(matching: " \(key.rawValue.uppercased()) "), key)
        }
    }
}

final class DeliverySettingsTests: XCTestCase {
    private func change(_ key: String, _ value: String) -> [SettingChanged]? {
        try? SettingsDecider.decide(key: key, value: value, current: .defaults)
    }

    func testDeliverySettingsAreValidatedAndCanonical() {
        XCTAssertEqual(change("delivery-max-attempts", " 007 "), [SettingChanged(key: .deliveryMaxAttempts, value: "7")])
        XCTAssertEqual(change("delivery-backoff", "60S,120m"), [SettingChanged(key: .deliveryBackoff, value: "1m,2h")])
        XCTAssertEqual(change("delivery-lease", "5s"), [SettingChanged(key: .deliveryLease, value: "5s")])
        XCTAssertEqual(change("helo-name", "Relay-1.Example.com"), [SettingChanged(key: .heloName, value: "relay-1.example.com")])
        for (key, bad) in [("delivery-max-attempts", "0"), ("delivery-max-attempts", "1001"), ("delivery-backoff", "2h,1h"),
                           ("delivery-backoff", "1m"), ("delivery-lease", "2d"), ("helo-name", "a b"), ("helo-name", "x-.example")] {
            XCTAssertNil(change(key, bad), "\(key) \(bad)")
        }
    }

    func testReplayGivesTheTypedValues() {
        let settings = StoreSettings.replay([
            SettingChanged(key: .deliveryMaxAttempts, value: "7"), SettingChanged(key: .deliveryBackoff, value: "1m,2h"),
            SettingChanged(key: .deliveryLease, value: "5s"), SettingChanged(key: .heloName, value: "mail.example.com"),
        ])
        XCTAssertEqual(settings.deliveryMaxAttempts, 7)
        XCTAssertEqual(settings.deliveryBackoff, DeliveryBackoff(first: 60, maximum: 7_200))
        XCTAssertEqual(settings.deliveryLease, 5)
        XCTAssertEqual(settings.heloName, "mail.example.com")
        XCTAssertEqual(DeliveryBackoff(first: 30, maximum: 3_600).delay(afterFailedAttempt: 8), 3_600)
    }
}

final class DurationTests: XCTestCase {
    func testParsesEachUnit() {
        XCTAssertEqual(StoreSettings.parseDuration("90s"), 90)
        XCTAssertEqual(StoreSettings.parseDuration("15m"), 900)
        XCTAssertEqual(StoreSettings.parseDuration("2h"), 7_200)
        XCTAssertEqual(StoreSettings.parseDuration("7d"), 604_800)
        XCTAssertEqual(StoreSettings.parseDuration(" 7D "), 604_800)
        XCTAssertEqual(StoreSettings.parseDuration("3650d"), 3650 * 86_400)
    }

    func testRejectsEverythingElse() {
        for bad in ["", "s", "7", "0s", "-5m", "+5m", "1.5h", "5 m", "5min", "3651d", "1w", "١٢s", "999999999999d"] {
            XCTAssertNil(StoreSettings.parseDuration(bad), bad)
        }
    }

    func testFormatsWithTheLargestExactUnit() {
        XCTAssertEqual(StoreSettings.formatDuration(604_800), "7d")
        XCTAssertEqual(StoreSettings.formatDuration(7_200), "2h")
        XCTAssertEqual(StoreSettings.formatDuration(5_400), "90m")
        XCTAssertEqual(StoreSettings.formatDuration(90), "90s")
        XCTAssertEqual(StoreSettings.formatDuration(0), "0s")
        XCTAssertEqual(StoreSettings.formatDuration(59.6), "1m")
    }

    func testFormatThenParseRoundTrips() {
        for seconds in [1, 59, 60, 61, 3_599, 3_600, 86_399, 86_400, 90_000, 604_800] {
            let text = StoreSettings.formatDuration(TimeInterval(seconds))
            XCTAssertEqual(StoreSettings.parseDuration(text), TimeInterval(seconds), text)
        }
    }
}

final class SettingLengthTests: XCTestCase {
    func testEverySettingHasALengthCap() {
        let long = "https://shop.example.com/" + String(repeating: "a", count: 2_000)
        XCTAssertThrowsError(try SettingsDecider.decide(key: "base-url", value: long, current: .defaults)) { error in
            let error = error as? DomainError
            XCTAssertEqual(error?.code, .invalidSetting)
            XCTAssertEqual(error?.problems.map(\.field), ["base-url"])
            XCTAssertTrue(error?.message.contains("at most 2000 characters") == true, error?.message ?? "")
        }
        XCTAssertNoThrow(try SettingsDecider.decide(key: "base-url", value: "https://shop.example.com/" + String(repeating: "a", count: 1_900), current: .defaults))
        for key in SettingKey.allCases {
            let tooLong = String(repeating: "a", count: key.maximumLength + 1)
            XCTAssertThrowsError(try SettingsDecider.decide(key: key.rawValue, value: tooLong, current: .defaults), key.rawValue)
        }
    }
}
