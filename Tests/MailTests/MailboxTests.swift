import Mail
import XCTest

final class MailboxTests: XCTestCase {
    func testParsesNameAndAddress() {
        XCTAssertEqual(Mailbox.parse("Shop <no-reply@localhost>"), Mailbox(displayName: "Shop", address: "no-reply@localhost"))
        XCTAssertEqual(Mailbox.parse("  My Shop   <shop@example.com> "), Mailbox(displayName: "My Shop", address: "shop@example.com"))
        XCTAssertEqual(Mailbox.parse("\"Doe, Jane \\\"JD\\\"\" <jane@example.com>"),
                       Mailbox(displayName: "Doe, Jane \"JD\"", address: "jane@example.com"))
        XCTAssertEqual(Mailbox.parse("Zoë Ørsted <zoe@example.com>"), Mailbox(displayName: "Zoë Ørsted", address: "zoe@example.com"))
    }

    func testParsesInternationalisedAddresses() {
        XCTAssertEqual(Mailbox.parse("Müller Shop <info@müller.de>"), Mailbox(displayName: "Müller Shop", address: "info@müller.de"))
        XCTAssertEqual(Mailbox.parse("jürgen.groß@example.de"), Mailbox(address: "jürgen.groß@example.de"))
        XCTAssertNil(Mailbox.parse("Shop <a\u{200B}b@example.de>"), "an invisible character in the address")
        XCTAssertNil(Mailbox.parse("Shop <a\u{00A0}b@example.de>"), "a no-break space in the address")
    }

    func testParsesABareOrBracketedAddress() {
        XCTAssertEqual(Mailbox.parse("no-reply@localhost"), Mailbox(displayName: nil, address: "no-reply@localhost"))
        XCTAssertEqual(Mailbox.parse("<no-reply@localhost>"), Mailbox(displayName: nil, address: "no-reply@localhost"))
    }

    func testRejectsWhatIsNotAMailbox() {
        for text in ["", "Shop", "Shop no-reply@localhost", "Shop <no-reply@localhost", "Shop <>", "Shop <a b@c>",
                     "Shop <no-reply@localhost> trailing", "\"Unterminated <a@b>", "Sh\nop <a@b>", "a@b@c", "<@b>"] {
            XCTAssertNil(Mailbox.parse(text), text)
        }
    }
}
