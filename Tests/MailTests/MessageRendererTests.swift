import Foundation
import Mail
import TestSupport
import XCTest

final class MessageRendererTests: XCTestCase {
    func testWritesExactlyTheExpectedHeadersInOrder() throws {
        let rendered = try MessageRenderer.render(Fixtures.message())
        XCTAssertEqual(headerLines(rendered), [
            "Date: Sun, 29 Nov 2026 12:00:00 +0000",
            "From: Shop <no-reply@localhost>",
            "To: Jane Doe <jane@example.com>",
            "Subject: Thank you for signing up!",
            "Message-ID: <6f1c2a9e-0000-4000-8000-000000000001@customer-es>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ])
    }

    func testUsesCRLFOnlyAndEndsTheBodyWithCRLF() throws {
        let message = Fixtures.message(body: "one\ntwo\r\nthree\rfour")
        let rendered = try MessageRenderer.render(message)
        XCTAssertOnlyCRLF(rendered)
        XCTAssertTrue(String(decoding: rendered, as: UTF8.self).hasSuffix("\r\n\r\none\r\ntwo\r\nthree\r\nfour\r\n"))
    }

    func testRendersTheSameBytesEveryTime() throws {
        let message = Fixtures.message(to: Mailbox(displayName: "Zoë Ørsted", address: "zoe@example.com"))
        XCTAssertEqual(try MessageRenderer.render(message), try MessageRenderer.render(message))
    }

    func testEncodesANonASCIISubjectAsUTF8EncodedWords() throws {
        let rendered = try MessageRenderer.render(Fixtures.message(subject: "Vielen Dank für deine Anmeldung!"))
        let subject = try XCTUnwrap(headerLines(rendered).first { $0.hasPrefix("Subject:") })
        XCTAssertEqual(subject, "Subject: =?UTF-8?B?VmllbGVuIERhbmsgZsO8ciBkZWluZSBBbm1lbGR1bmch?=")
        XCTAssertEqual(ParsedMessage(rendered).decodedHeader("Subject"), "Vielen Dank für deine Anmeldung!")
    }

    func testEncodesANonASCIIDisplayNameAndKeepsTheAddressReadable() throws {
        let to = Mailbox(displayName: "Zoë Ørsted", address: "zoe@example.com")
        let rendered = try MessageRenderer.render(Fixtures.message(to: to))
        XCTAssertTrue(headerLines(rendered).contains("To: =?UTF-8?B?Wm/DqyDDmHJzdGVk?= <zoe@example.com>"))
        XCTAssertEqual(ParsedMessage(rendered).decodedHeader("To"), "Zoë Ørsted <zoe@example.com>")
    }

    func testSplitsLongEncodedTextIntoShortWordsOfWholeCharacters() throws {
        let subject = String(repeating: "Grüße aus Köln, schön dass du da bist! 👩‍👩‍👧 ", count: 6)
        let rendered = try MessageRenderer.render(Fixtures.message(subject: subject))
        let parsed = ParsedMessage(rendered)
        XCTAssertEqual(parsed.decodedHeader("Subject"), subject)

        let lines = headerLines(rendered)
        let first = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Subject:") })
        let subjectLines = [lines[first]] + lines[(first + 1)...].prefix { $0.hasPrefix(" ") }
        XCTAssertGreaterThan(subjectLines.count, 3, "a long subject is folded")
        for line in subjectLines {
            XCTAssertLessThanOrEqual(line.count, 76, "RFC 2047 §2: lines with encoded-words stay within 76: \(line)")
        }
        let words = subjectLines.joined(separator: " ").split(separator: " ").filter { $0.hasPrefix("=?") }
        for word in words {
            XCTAssertLessThanOrEqual(word.count, 75)
            XCTAssertNotNil(decodeEncodedWord(String(word)), "each word decodes on its own: \(word)")
        }
    }

    func testFoldsALongASCIISubjectAtSpaces() throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let rendered = try MessageRenderer.render(Fixtures.message(subject: subject))
        for line in headerLines(rendered) { XCTAssertLessThanOrEqual(line.count, 78, line) }
        XCTAssertEqual(ParsedMessage(rendered).header("Subject"), subject)
    }

    func testQuotesDisplayNamesWithSpecialsAndEncodesLookalikeEncodedWords() throws {
        let cases: [(String, String)] = [
            ("Doe, Jane", "To: \"Doe, Jane\" <jane@example.com>"),
            ("Jane \"JD\" Doe", "To: \"Jane \\\"JD\\\" Doe\" <jane@example.com>"),
            ("Dr. Jane Doe", "To: \"Dr. Jane Doe\" <jane@example.com>"),
            ("Jane O'Brien-Doe", "To: Jane O'Brien-Doe <jane@example.com>"),
            ("Jane  Doe", "To: \"Jane  Doe\" <jane@example.com>"),
        ]
        for (name, expected) in cases {
            let rendered = try MessageRenderer.render(Fixtures.message(to: Mailbox(displayName: name, address: "jane@example.com")))
            XCTAssertTrue(headerLines(rendered).contains(expected), "\(name): \(headerLines(rendered))")
        }
        // A name that looks like an encoded-word is encoded as a whole, so that no client shows "Hack Test".
        for lookalikeName in ["=?UTF-8?B?SGk=?=", "=?UTF-8?B?SGFjaw==?= Test"] {
            let rendered = try MessageRenderer.render(Fixtures.message(to: Mailbox(displayName: lookalikeName, address: "jane@example.com")))
            let to = try XCTUnwrap(ParsedMessage(rendered).header("To"))
            XCTAssertTrue(to.hasPrefix("=?UTF-8?B?") && !to.contains("SGFjaw==?= Test") && !to.contains("\"=?"), to)
            XCTAssertEqual(ParsedMessage(rendered).decodedHeader("To"), "\(lookalikeName) <jane@example.com>")
        }
        let noName = try MessageRenderer.render(Fixtures.message(to: Mailbox(displayName: nil, address: "jane@example.com")))
        XCTAssertTrue(headerLines(noName).contains("To: jane@example.com"))
        let lookalike = try MessageRenderer.render(Fixtures.message(subject: "Re: =?UTF-8?B?SGk=?="))
        XCTAssertEqual(ParsedMessage(lookalike).decodedHeader("Subject"), "Re: =?UTF-8?B?SGk=?=")
    }

    func testRefusesHeaderInjection() {
        let attempts: [(EmailMessage, String)] = [
            (Fixtures.message(to: Mailbox(displayName: "Eve\n", address: "eve@example.com")), "To"),
            (Fixtures.message(to: Mailbox(displayName: "Eve\r\n Bcc: victim@example.com", address: "eve@example.com")), "To"),
            (Fixtures.message(from: Mailbox(displayName: "Shop\rX", address: "no-reply@localhost")), "From"),
            (Fixtures.message(subject: "Hi\r\nBcc: victim@example.com"), "Subject"),
            (Fixtures.message(subject: "tab\there"), "Subject"),
            (Fixtures.message(subject: "nul\u{0}"), "Subject"),
            (Fixtures.message(to: Mailbox(displayName: "Jane", address: "jane@example.com>\r\nBcc: victim@example.com")), "To"),
            (Fixtures.message(messageID: "abc@host>\r\nBcc: victim@example.com"), "Message-ID"),
        ]
        for (message, header) in attempts {
            XCTAssertThrowsError(try MessageRenderer.render(message)) { error in
                let failure = error as? MessageRenderingError
                XCTAssertEqual(failure?.header, header, "\(error)")
                XCTAssertTrue("\(error)".contains("the \(header) header"), "\(error)")
            }
        }
        XCTAssertEqual(
            MessageRenderingError(header: "To", problem: "display name contains a line feed (LF), which is not allowed").description,
            "Cannot render the email: the To header display name contains a line feed (LF), which is not allowed."
        )
    }

    func testRefusesUnusableAddressesAndMessageIDs() {
        let addresses = ["", "jane", "jane doe@example.com", "jane@", "@example.com", "a@b@c", "zo\u{2028}e@example.com", "a\u{200B}b@example.com", "<a@b>"]
        for address in addresses {
            XCTAssertThrowsError(try MessageRenderer.render(Fixtures.message(to: Mailbox(address: address))), address)
        }
        for id in ["", "no-at-sign", "<a@b>", "a b@c", "a@b@c", ".a@b", "a..b@c"] {
            XCTAssertThrowsError(try MessageRenderer.render(Fixtures.message(messageID: id)), id)
        }
    }

    func testBodyRoundTripsThroughQuotedPrintable() throws {
        let body = [
            "Hallo Zoë Ørsted,",
            "a = b, 100% sure; tab\tinside and trailing space ",
            "trailing tab\t",
            String(repeating: "long line without any break ", count: 12),
            String(repeating: "ü", count: 80),
            ".",
            ".leading dot",
            "..two dots",
            "From the start",
            "emoji 👩‍👩‍👧 end",
        ].joined(separator: "\n") + "\n"
        let rendered = try MessageRenderer.render(Fixtures.message(body: body))
        let parsed = ParsedMessage(rendered)
        XCTAssertValidQuotedPrintable(parsed.rawBody)
        XCTAssertEqual(parsed.decodedBody, body)
        XCTAssertTrue(parsed.rawBody.contains("\n.leading dot\n"), "a leading dot is left to SMTP dot-stuffing")
    }

    func testQuotedPrintableLineLengthEdges() throws {
        for length in 70...80 {
            for tail in ["", " ", "=", "é"] {
                let line = String(repeating: "a", count: length) + tail
                let rendered = try MessageRenderer.render(Fixtures.message(body: line))
                let parsed = ParsedMessage(rendered)
                XCTAssertValidQuotedPrintable(parsed.rawBody)
                XCTAssertEqual(parsed.decodedBody, line + "\n", "length \(length) + \(tail.debugDescription)")
            }
        }
        let exactly76 = String(repeating: "x", count: 76)
        let rendered = try MessageRenderer.render(Fixtures.message(body: exactly76))
        XCTAssertEqual(ParsedMessage(rendered).rawBody, exactly76 + "\n", "76 characters need no soft break")
    }

    func testEightBitBodyKeepsTheTextAsIs() throws {
        let body = "Hallo Zoë,\nhttp://localhost:8080/register/confirm?token=abc&_locale=de_DE\n.dot\n"
        let rendered = try MessageRenderer.render(Fixtures.message(body: body), bodyEncoding: .eightBit)
        XCTAssertOnlyCRLF(rendered)
        let parsed = ParsedMessage(rendered)
        XCTAssertEqual(parsed.header("Content-Transfer-Encoding"), "8bit")
        XCTAssertEqual(parsed.rawBody, body)

        let ascii = try MessageRenderer.render(Fixtures.message(body: "plain\n"), bodyEncoding: .eightBit)
        XCTAssertEqual(ParsedMessage(ascii).header("Content-Transfer-Encoding"), "7bit")

        let tooLong = String(repeating: "y", count: 999)
        let fallback = try MessageRenderer.render(Fixtures.message(body: tooLong), bodyEncoding: .eightBit)
        XCTAssertEqual(ParsedMessage(fallback).header("Content-Transfer-Encoding"), "quoted-printable")
        XCTAssertEqual(ParsedMessage(fallback).decodedBody, tooLong + "\n")
    }

    func testFormatsDatesInUTCWithEnglishNames() throws {
        let cases: [(TimeInterval, String)] = [
            (0, "Thu, 1 Jan 1970 00:00:00 +0000"),
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 +0000"),
            (1_795_953_600.999, "Sun, 29 Nov 2026 12:00:00 +0000"),
            (-1, "Wed, 31 Dec 1969 23:59:59 +0000"),
            (4_102_444_799, "Thu, 31 Dec 2099 23:59:59 +0000"),
        ]
        for (seconds, expected) in cases {
            var message = Fixtures.message()
            message.date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(ParsedMessage(try MessageRenderer.render(message)).header("Date"), expected)
        }
    }
}
