import CustomerAggregate
import Foundation
import XCTest

/// RFC 6531/6532 addresses on the create form: which are accepted, their NFC form, the octet limits, and the case
/// fold that decides uniqueness.
final class InternationalisedEmailTests: XCTestCase {
    private func form(email: String) -> CustomerForm {
        CustomerForm(email: email, salutation: "Mr", firstName: "Jürgen", lastName: "Groß")
    }

    private func messages(_ email: String) -> [String] {
        problems(of: form(email: email)).map { "\($0.field): \($0.message)" }
    }

    func testInternationalisedAddressesAreAccepted() {
        for email in [
            "jürgen.groß@example.de", "info@müller.de", "zoë@example.com", "δοκιμή@παράδειγμα.δοκιμή",
            "用户@例子.广告", "анна@пример.рф", "θ1+tag@xn--mller-kva.de", "JÜRGEN.GROSS@EXAMPLE.DE",
        ] {
            XCTAssertEqual(profile(of: form(email: email))?.email, email, email)
        }
    }

    func testNonASCIIPunctuationSymbolsAndInvisibleCharactersAreRefused() {
        for email in [
            "jürgen\u{00A0}groß@example.de", "a\u{200B}b@example.de", "a\u{2028}b@example.de", "a@exa\u{3002}mple.de",
            "a«b»@example.de", "a@müller\u{2013}x.de", "a€@example.de", "a@😀.de",
            "a\u{202E}b@example.de", "a\u{200D}b@example.de", "jürgen@mü\u{200C}ller.de", "jürgen@-müller.de", "jürgen@müller..de", ".jürgen@müller.de",
        ] {
            XCTAssertEqual(messages(email), ["email: Email is not a valid address"], email.debugDescription)
        }
    }

    func testAddressesAreStoredInNFC() {
        let decomposed = "ju\u{0308}rgen.gro\u{00DF}@mu\u{0308}ller.de"
        let stored = profile(of: form(email: decomposed))?.email
        XCTAssertEqual(stored?.unicodeScalars.map(\.value), "jürgen.groß@müller.de".unicodeScalars.map(\.value))
        XCTAssertEqual(stored?.unicodeScalars.count, 21, "ü is one precomposed scalar (U+00FC), not u + U+0308")
        XCTAssertEqual(EmailAddress.normalized("Maria@Example.COM"), "Maria@Example.COM", "ASCII is left as it is")
    }

    func testTheLocalPartHasNoLimitOfItsOwnBesideTheWholeAddress() {
        // The form's rule is 100 characters for the whole address; a long local part (ASCII or not) is accepted
        // as before, since the stores' existing customers and the contract's limit tests rely on it.
        let asciiLocal = String(repeating: "a", count: 88) + "@example.com"
        XCTAssertEqual(profile(of: form(email: asciiLocal))?.email, asciiLocal)
        let wideLocal = String(repeating: "ü", count: 33) + "@example.de"
        XCTAssertEqual(profile(of: form(email: wideLocal))?.email, wideLocal)
    }

    func testWholeAddressIsAtMost254BytesOfUTF8AndAtMost100Characters() {
        // 1 + 1 + 85 + 1 + 2 = 90 characters, but the 85 three-byte letters make 260 bytes.
        let wide = "a@" + String(repeating: "例", count: 85) + ".de"
        XCTAssertEqual(wide.count, 90)
        XCTAssertEqual(wide.utf8.count, 260)
        XCTAssertEqual(messages(wide), [
            "email: Email must be at most 254 bytes in UTF-8 (RFC 5321; a non-ASCII character takes 2–4)",
        ])
        let fits = "a@" + String(repeating: "例", count: 83) + ".de"
        XCTAssertEqual(fits.utf8.count, 254)
        XCTAssertNotNil(profile(of: form(email: fits)))
        let tooManyCharacters = "ü@" + String(repeating: "b", count: 96) + ".de"
        XCTAssertEqual(messages(tooManyCharacters), ["email: Email must be at most 100 characters"])
    }

    // MARK: - Case fold (uniqueness and lookups)

    private func key(_ email: String) -> String { CustomerProfile.uniquenessKey(forEmail: email) }

    func testASCIIAddressesFoldExactlyAsBefore() {
        // The directory's keys of existing stores are ASCII lower case: they must not change.
        for email in ["Maria@Example.COM", " MARIA.Williams+Tag@example.com ", "o'Hara@Example.ie", "A_B-C@X.Y"] {
            XCTAssertEqual(key(email), email.trimmingCharacters(in: .whitespaces).lowercased(), email)
        }
    }

    func testSharpSFoldsToSSSoGrossAndGroßAreTheSameAddress() {
        XCTAssertEqual(key("JÜRGEN.GROSS@EXAMPLE.DE"), key("jürgen.groß@example.de"))
        XCTAssertEqual(key("Jürgen.Groß@Example.de"), "jürgen.gross@example.de")
        XCTAssertEqual(key("JÜRGEN.GROẞ@example.de"), key("jürgen.groß@example.de"), "capital sharp s U+1E9E too")
        XCTAssertEqual(key("info@MÜLLER.de"), "info@müller.de")
    }

    func testGreekFinalSigmaFoldsLikeSigma() {
        XCTAssertEqual(key("ΟΔΥΣΣΕΑΣ@example.gr"), key("οδυσσεας@example.gr"))
        XCTAssertEqual(key("οδυσσεας@example.gr"), key("οδυσσεασ@example.gr"))
    }

    func testTurkishDotlessAndDottedIStayApartFromPlainI() {
        XCTAssertNotEqual(key("ırmak@example.tr"), key("irmak@example.tr"), "dotless ı is its own letter")
        XCTAssertNotEqual(key("İrem@example.tr"), key("irem@example.tr"), "İ folds to i + U+0307, not to i")
        XCTAssertEqual(key("İrem@example.tr"), "i\u{0307}rem@example.tr".precomposedStringWithCanonicalMapping)
        XCTAssertEqual(key("IRMAK@example.tr"), key("irmak@example.tr"), "plain I and i: no Turkic special case")
    }

    func testFoldIgnoresNormalisationForm() {
        XCTAssertEqual(key("JU\u{0308}RGEN@example.de"), key("jürgen@example.de"))
        XCTAssertEqual(key("jürgen@example.de").unicodeScalars.count, 17, "the key itself is NFC")
    }
}
