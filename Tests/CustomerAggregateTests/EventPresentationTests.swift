import CustomerAggregate
import Foundation
import XCTest

/// The readable forms (`history`, `events --json`) are an interface too: fixed keys, fixed order, fixed words.
final class EventPresentationTests: XCTestCase {
    func testSummaries() {
        XCTAssertEqual(Fixture.created.summary, "Customer DE--3 created (Unverified): Maria Williams <maria@example.com>")
        XCTAssertEqual(
            CustomerEventCodecTests.zoe.summary, "Customer DE--300 imported (Unverified): Zoë Ørsted <Zoe.Orsted@Example.com>"
        )
        XCTAssertEqual(
            Fixture.verificationRequested.summary, "Verification email requested (token expires 2025-12-06 12:00 UTC)"
        )
        XCTAssertEqual(
            CustomerEventCodecTests.resend.summary,
            "Verification email re-sent; earlier links no longer work (token expires 2025-12-06 12:00 UTC)"
        )
        XCTAssertEqual(
            CustomerEvent.verificationRequested(VerificationRequested(
                tokenId: Fixture.verificationTokenId, expiresAt: Fixture.now, reason: .import
            )).summary,
            "Verification email requested for the imported customer (token expires 2025-11-29 12:00 UTC)"
        )
        XCTAssertEqual(
            Fixture.passwordTokenIssued.summary,
            "Password-set email requested; earlier links no longer work (token expires 2025-11-29 14:00 UTC)"
        )
        XCTAssertEqual(Fixture.verified().summary, "Email verified")
        XCTAssertEqual(CustomerEventCodecTests.registered.summary, "Email verified (registered on 2020-06-24 per import)")
    }

    func testCreatedFieldsInOrderWithNulls() {
        XCTAssertEqual(
            Fixture.created.fields.jsonObjectText,
            #"{"customerId":"c0ffee00-0000-4000-8000-000000000001","reference":"DE--3","email":"maria@example.com","#
                + #""salutation":"Ms","firstName":"Maria","lastName":"Williams","gender":null,"dateOfBirth":null,"#
                + #""phone":null,"company":null,"locale":"en_US","status":"Unverified","#
                + #""createdAt":"2025-11-29T12:00:00Z","origin":"back-office"}"#
        )
    }

    func testCreatedFieldsWithEveryValue() {
        let fields = CustomerEventCodecTests.zoe.fields
        XCTAssertEqual(fields.map(\.name), [
            "customerId", "reference", "email", "salutation", "firstName", "lastName", "gender", "dateOfBirth", "phone",
            "company", "locale", "status", "createdAt", "origin",
        ])
        XCTAssertEqual(fields[6].value, .string("Female"))
        XCTAssertEqual(fields[7].value, .string("1984-02-29"))
        XCTAssertEqual(fields[12].value.jsonLiteral, #""2025-11-29T12:00:00.123456Z""#)
        XCTAssertEqual(fields[13].value, .string("import"))
    }

    func testTokenEventFields() {
        XCTAssertEqual(
            CustomerEventCodecTests.resend.fields.jsonObjectText,
            #"{"tokenId":"c0ffee00-0000-4000-8000-000000000010","expiresAt":"2025-12-06T12:00:00Z","reason":"resend"}"#
        )
        XCTAssertEqual(
            Fixture.passwordTokenIssued.fields.jsonObjectText,
            #"{"tokenId":"c0ffee00-0000-4000-8000-000000000020","expiresAt":"2025-11-29T14:00:00Z"}"#
        )
        XCTAssertEqual(
            CustomerEventCodecTests.registered.fields.jsonObjectText,
            #"{"verifiedAt":"2020-06-24T00:00:00Z","tokenId":null}"#
        )
    }

    func testJSONStringsAreEscaped() {
        XCTAssertEqual(FieldValue.string("a\"b\\c\nd\u{1}é\u{2028}").jsonLiteral, #""a\"b\\c\nd\u0001é\u2028""#)
        XCTAssertEqual(FieldValue.null.plainText, "-")
        XCTAssertEqual(FieldValue.integer(-3).jsonLiteral, "-3")
        XCTAssertEqual(FieldValue.bool(true).jsonLiteral, "true")
        XCTAssertEqual(FieldValue.text(nil), .null)
    }

    /// Text without a byte that may need an escape is appended whole; every other text goes scalar by scalar,
    /// one escape at a time (each alone, so that the fast path cannot skip one).
    func testEachEscapeIsWrittenAndPlainTextIsCopiedWhole() {
        for (text, literal) in [
            ("anna.berg+x@example.com", #""anna.berg+x@example.com""#), ("Jürgen Ölçer 山田", #""Jürgen Ölçer 山田""#), ("", #""""#),
            ("\"", #""\"""#), ("\\", #""\\""#), ("\t", #""\t""#), ("\r\n", #""\r\n""#), ("\u{7F}", #""\u007f""#),
            ("\u{2029}", #""\u2029""#), ("O’Brien", #""O’Brien""#), ("\u{08}\u{0C}\u{1F}", #""\b\f\u001f""#),
        ] {
            XCTAssertEqual(JSONText.quoted(text), literal, "quoting \(text.debugDescription)")
            var appended = "["
            JSONText.appendQuoted(text, to: &appended)
            XCTAssertEqual(appended, "[" + literal, "appending \(text.debugDescription)")
        }
    }

    func testResultingStatusDrivesTheAudit() {
        XCTAssertEqual(Fixture.created.resultingStatus, .unverified)
        XCTAssertEqual(Fixture.verified().resultingStatus, .verified)
        XCTAssertNil(Fixture.verificationRequested.resultingStatus)
        XCTAssertNil(Fixture.passwordTokenIssued.resultingStatus)
    }
}
