import Foundation
import TestSupport
import XCTest

/// The back office's seed flow end to end: create (with and without the password token), show, verify.
final class CLISeedFlowTests: XCTestCase {
    static let customerKeys = [
        "reference", "email", "salutation", "firstName", "lastName", "gender", "dateOfBirth", "phone", "company",
        "locale", "status", "createdAt", "verifiedAt", "pendingEmail",
    ]

    func testCreateShowVerifySeedFlow() throws {
        let store = CLIStore()

        // Without the flag: one email (verification); with it: two (verification and password-set).
        let first = try store.run(CLIStore.createArguments(email: "seed.one@example.com"))
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Customer was created successfully."), first.stdout)
        XCTAssertEqual(CLIStore.reference(in: first.stdout), "DE--1")
        XCTAssertEqual(first.stderr, "")
        let second = try store.run(CLIStore.createArguments(email: "seed.two@example.com", flags: ["send-password-token"]))
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("Customer was created successfully."), second.stdout)
        XCTAssertEqual(CLIStore.reference(in: second.stdout), "DE--2", "references are gapless")

        let one = try store.show("DE--1")
        XCTAssertEqual(one["reference"] as? String, "DE--1")
        XCTAssertEqual(one["status"] as? String, "Unverified")
        XCTAssertTrue(one["verifiedAt"] is NSNull, "an Unverified customer has verifiedAt null")
        let oneLinks = try store.pendingLinks("DE--1")
        XCTAssertEqual(oneLinks.map(\.kind), ["verification"], "create without the flag queues exactly one email")
        let verificationLink = try XCTUnwrap(oneLinks.first?.link)
        XCTAssertTrue(verificationLink.hasPrefix("http://localhost:8080/register/confirm?token="), verificationLink)
        XCTAssertTrue(verificationLink.hasSuffix("&_locale=en_US"), verificationLink)
        let token = try XCTUnwrap(tokenOf(verificationLink))
        assertTokenShape(token)

        let twoLinks = try store.pendingLinks("DE--2")
        XCTAssertEqual(twoLinks.map(\.kind).sorted(), ["password-set", "verification"], "the flag adds the password-set email")
        let passwordLink = try XCTUnwrap(twoLinks.first { $0.kind == "password-set" }?.link)
        XCTAssertTrue(passwordLink.hasPrefix("http://localhost:8080/password/restore?token="), passwordLink)
        XCTAssertTrue(passwordLink.hasSuffix("&_locale=en_US"), passwordLink)
        let passwordToken = try XCTUnwrap(tokenOf(passwordLink))
        assertTokenShape(passwordToken)
        let twoVerification = try store.token("DE--2")
        XCTAssertNotEqual(twoVerification, token, "every customer gets a fresh token")
        XCTAssertNotEqual(twoVerification, passwordToken, "the two emails carry different tokens")

        // The token alone identifies the customer.
        let verify = try store.run(["verify-email", "--token", token])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(CLIStore.reference(in: verify.stdout), "DE--1", verify.stdout)
        let verified = try store.show("DE--1")
        XCTAssertEqual(verified["status"] as? String, "Verified")
        let createdAt = try XCTUnwrap(ISO.parse(verified["createdAt"] as? String), "createdAt: \(verified)")
        let verifiedAt = try XCTUnwrap(ISO.parse(verified["verifiedAt"] as? String), "verifiedAt: \(verified)")
        XCTAssertGreaterThanOrEqual(verifiedAt, createdAt)
        XCTAssertLessThan(abs(verifiedAt.timeIntervalSinceNow), 120, "verifiedAt is the time of the verification")
        XCTAssertEqual(try store.pendingLinks("DE--1").filter { $0.kind == "verification" }.count, 0,
                       "a used verification link is no longer waiting")
        // The other customer is untouched.
        XCTAssertEqual(try store.show("DE--2")["status"] as? String, "Unverified")

        // CUSTOMER may be the email in any case.
        XCTAssertEqual(try store.show("SEED.ONE@EXAMPLE.COM")["reference"] as? String, "DE--1")
        XCTAssertEqual(try store.show("Seed.Two@Example.com")["reference"] as? String, "DE--2")

        // The next customer continues the counter.
        XCTAssertEqual(try store.create("seed.three@example.com"), "DE--3")
    }

    func testCustomerJSONShapeWithAllFieldsAndWithNone() throws {
        let store = CLIStore()
        let full = try store.run(CLIStore.createArguments(email: "Mixed.Case@Example.COM", [
            "salutation": "Dr", "first-name": "  Erika ", "last-name": "Gabler", "gender": "Female",
            "date-of-birth": "1985-02-28", "phone": "+49 (30) 123-456", "company": "ACME GmbH", "locale": "de_DE",
        ]) + ["--json"])
        XCTAssertEqual(full.status, 0, full.stderr)
        // `create --json`: the message, the reference and the customer.
        let created = try jsonObject(full.stdout)
        XCTAssertEqual(created["message"] as? String, "Customer was created successfully.")
        XCTAssertEqual(created["reference"] as? String, "DE--1")
        XCTAssertEqual(created["replayed"] as? Bool, false)
        let createdCustomer = try XCTUnwrap(created["customer"] as? [String: Any], full.stdout)
        XCTAssertEqual(Set(createdCustomer.keys), Set(Self.customerKeys), "create --json carries the Customer shape")

        let customer = try store.show("DE--1")
        for key in Self.customerKeys {
            XCTAssertNotNil(customer[key], "key \(key) is present in \(customer)")
        }
        XCTAssertEqual(customer["reference"] as? String, "DE--1")
        XCTAssertEqual(customer["email"] as? String, "Mixed.Case@Example.COM", "the email is stored as given")
        XCTAssertEqual(customer["salutation"] as? String, "Dr")
        XCTAssertEqual(customer["firstName"] as? String, "Erika", "names are trimmed")
        XCTAssertEqual(customer["lastName"] as? String, "Gabler")
        XCTAssertEqual(customer["gender"] as? String, "Female")
        XCTAssertEqual(customer["dateOfBirth"] as? String, "1985-02-28")
        XCTAssertEqual(customer["phone"] as? String, "+49 (30) 123-456")
        XCTAssertEqual(customer["company"] as? String, "ACME GmbH")
        XCTAssertEqual(customer["locale"] as? String, "de_DE")
        XCTAssertEqual(customer["status"] as? String, "Unverified")
        let createdAtText = try XCTUnwrap(customer["createdAt"] as? String)
        XCTAssertTrue(createdAtText.hasSuffix("Z"), "times are UTC: \(createdAtText)")
        let createdAt = try XCTUnwrap(ISO.parse(createdAtText), "createdAt is ISO 8601: \(createdAtText)")
        XCTAssertLessThan(abs(createdAt.timeIntervalSinceNow), 120, "createdAt is now, not a local-time shift")
        XCTAssertTrue(customer["verifiedAt"] is NSNull)
        // The German customer's link carries her locale.
        XCTAssertTrue(try store.pendingLinks("DE--1").allSatisfy { $0.link.hasSuffix("&_locale=de_DE") })

        // Only the required fields: every absent optional value is null, the locale is the store's default.
        try store.create("minimal@example.com")
        let minimal = try store.show("DE--2")
        for key in Self.customerKeys {
            XCTAssertNotNil(minimal[key], "key \(key) is present even when absent: \(minimal)")
        }
        for key in ["gender", "dateOfBirth", "phone", "company", "verifiedAt"] {
            XCTAssertTrue(minimal[key] is NSNull, "\(key) is null when absent, got \(String(describing: minimal[key]))")
        }
        XCTAssertEqual(minimal["locale"] as? String, "en_US")
        XCTAssertEqual(minimal["salutation"] as? String, "Mr")

        // The text form shows the same customer.
        let text = try store.run(["show", "minimal@example.com"])
        XCTAssertEqual(text.status, 0, text.stderr)
        for expected in ["DE--2", "minimal@example.com", "Max", "Mustermann", "Unverified", "en_US"] {
            XCTAssertTrue(text.stdout.contains(expected), "show prints \(expected): \(text.stdout)")
        }
    }

    func testFieldValuesAtTheirLimitsAreAccepted() throws {
        let store = CLIStore()
        let local = String(repeating: "a", count: 100 - "@example.com".count)
        let email = "\(local)@example.com"
        XCTAssertEqual(email.count, 100)
        let reference = try store.create(email, [
            "first-name": String(repeating: "F", count: 100), "last-name": String(repeating: "L", count: 100),
            "company": String(repeating: "C", count: 100), "phone": String(repeating: "1", count: 255),
            "date-of-birth": "1900-01-01", "salutation": "n/a", "gender": "Male",
        ])
        XCTAssertEqual(reference, "DE--1")
        let customer = try store.show("DE--1")
        XCTAssertEqual((customer["firstName"] as? String)?.count, 100)
        XCTAssertEqual((customer["phone"] as? String)?.count, 255)
        XCTAssertEqual(customer["salutation"] as? String, "n/a")
        XCTAssertEqual(customer["dateOfBirth"] as? String, "1900-01-01")
        // Born today is not "in the future".
        XCTAssertEqual(try store.create("born.today@example.com", ["date-of-birth": ISO.day()]), "DE--2")
    }

    private func assertTokenShape(_ token: String, file: StaticString = #filePath, line: UInt = #line) {
        let urlSafe = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        XCTAssertTrue(token.unicodeScalars.allSatisfy(urlSafe.contains), "token is URL-safe: \(token)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(token.count, 22, "a token carries at least 128 bits: \(token)", file: file, line: line)
    }
}
