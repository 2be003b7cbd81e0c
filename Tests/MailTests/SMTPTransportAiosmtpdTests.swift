import Foundation
import Mail
import TestSupport
import XCTest

/// Delivery to a real SMTP server (aiosmtpd), checked by reading what it stored.
final class SMTPTransportAiosmtpdTests: XCTestCase {
    private var directory: URL!
    private var server: AiosmtpdServer!

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("aiosmtpd")
        server = try AiosmtpdServer.start(in: directory)
    }

    override func tearDownWithError() throws {
        server?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func testDeliversSeveralMessagesOverOneConnection() throws {
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, timeout: 5)
        defer { transport.close() }
        let sender = try XCTUnwrap(Mailbox.parse("Shop <no-reply@localhost>"))
        let link = EmailTemplates.verificationLink(baseURL: "http://localhost:8080", token: "tok_123-abc", locale: "de_DE")
        let german = EmailTemplates.content(kind: .verification, locale: "de_DE", firstName: "Zoë", lastName: "Ørsted", link: link)
        let messages = [
            EmailMessage(from: sender, to: Mailbox(displayName: "Zoë Ørsted", address: "zoe@example.com"),
                         subject: german.subject, textBody: german.body, date: Fixtures.date, messageID: "m1@customer-es"),
            Fixtures.message(from: sender, body: ".\n.leading dot\n..two\nend with dot.\n", messageID: "m2@customer-es"),
            Fixtures.message(from: sender, to: Mailbox(displayName: "Doe, John", address: "john@example.com"),
                             subject: "Set your password", body: String(repeating: "long ", count: 40) + "\n",
                             messageID: "m3@customer-es"),
        ]
        for message in messages {
            let receipt = try transport.deliver(message, rendered: try MessageRenderer.render(message))
            XCTAssertEqual(receipt.transport, "smtp")
            XCTAssertTrue(receipt.detail.hasPrefix("250"), receipt.detail)
        }

        let stored = try server.storedMessages().map(ParsedMessage.init)
        XCTAssertEqual(stored.count, messages.count)
        let peers = Set(stored.compactMap { $0.header("X-Peer") })
        XCTAssertEqual(peers.count, 1, "all messages came over one connection: \(peers)")
        for message in messages {
            let arrived = try XCTUnwrap(stored.first { $0.header("Message-ID") == "<\(message.messageID)>" }, message.messageID)
            XCTAssertEqual(arrived.decodedHeader("Subject"), message.subject)
            XCTAssertEqual(arrived.decodedHeader("From"), "Shop <no-reply@localhost>")
            XCTAssertEqual(arrived.header("X-MailFrom"), message.from.address)
            XCTAssertEqual(arrived.header("X-RcptTo"), message.to.address)
            XCTAssertEqual(arrived.header("Date"), "Sun, 29 Nov 2026 12:00:00 +0000")
            XCTAssertEqual(arrived.decodedBody, message.textBody, "dot-stuffing is undone and QP decodes to the text")
        }
        let zoe = try XCTUnwrap(stored.first { $0.header("Message-ID") == "<m1@customer-es>" })
        XCTAssertEqual(zoe.decodedHeader("To"), "Zoë Ørsted <zoe@example.com>")
        XCTAssertTrue(zoe.decodedBody.contains("Hallo Zoë Ørsted,"))
        XCTAssertTrue(zoe.decodedBody.contains("\n\(link)\n"))
        let john = try XCTUnwrap(stored.first { $0.header("Message-ID") == "<m3@customer-es>" })
        XCTAssertEqual(john.decodedHeader("To"), "\"Doe, John\" <john@example.com>")
    }

    func testEightBitBodiesAreAnnouncedAndArriveIntact() throws {
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, timeout: 5)
        defer { transport.close() }
        let message = Fixtures.message(body: "Grüße\nhttp://localhost:8080/register/confirm?token=abc&_locale=de_DE\n.dot\n")
        _ = try transport.deliver(message, rendered: try MessageRenderer.render(message, bodyEncoding: .eightBit))
        let stored = try XCTUnwrap(try server.storedMessages().first.map(ParsedMessage.init))
        XCTAssertEqual(stored.header("Content-Transfer-Encoding"), "8bit")
        XCTAssertEqual(stored.decodedBody, message.textBody)
    }

    func testCloseSendsQuitAndTheNextDeliveryReconnects() throws {
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, timeout: 5)
        _ = try transport.deliver(Fixtures.message(messageID: "a@x"), rendered: try MessageRenderer.render(Fixtures.message(messageID: "a@x")))
        transport.close()
        transport.close()
        _ = try transport.deliver(Fixtures.message(messageID: "b@x"), rendered: try MessageRenderer.render(Fixtures.message(messageID: "b@x")))
        transport.close()
        let peers = Set(try server.storedMessages().map(ParsedMessage.init).compactMap { $0.header("X-Peer") })
        XCTAssertEqual(peers.count, 2, "a new connection after close()")
    }
}
