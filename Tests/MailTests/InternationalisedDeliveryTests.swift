import Foundation
import Mail
import TestSupport
import XCTest

/// RFC 6531/6532 addresses on the wire: against real aiosmtpd servers with and without SMTPUTF8 (what arrives),
/// and against a scripted server (the exact commands).
final class InternationalisedDeliveryTests: XCTestCase {
    private var directory: URL!
    private var servers: [AiosmtpdServer] = []
    private var scripted: [ScriptedSMTPServer] = []

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory("idn")
    }

    override func tearDownWithError() throws {
        servers.forEach { $0.stop() }
        scripted.forEach { $0.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    private func aiosmtpd(smtputf8: Bool) throws -> AiosmtpdServer {
        let server = try AiosmtpdServer.start(in: directory.appendingPathComponent(smtputf8 ? "utf8" : "ascii"),
                                              smtputf8: smtputf8)
        servers.append(server)
        return server
    }

    private func scriptedServer(offering extensions: [String]) throws -> ScriptedSMTPServer {
        let ehlo = (["250-scripted.test greets you"] + extensions.map { "250-\($0)" } + ["250 HELP"])
            .joined(separator: "\r\n")
        let server = try ScriptedSMTPServer { command, _ in command.hasPrefix("EHLO") ? .reply(ehlo) : nil }
        scripted.append(server)
        return server
    }

    private let shop = Mailbox(displayName: "Müller Shop", address: "info@müller.de")
    private let jurgen = Mailbox(displayName: "Jürgen Groß", address: "jürgen.groß@example.de")

    private func deliver(_ message: EmailMessage, to port: UInt16) throws -> DeliveryReceipt {
        let transport = SMTPTransport(host: "127.0.0.1", port: port, timeout: 5)
        defer { transport.close() }
        return try transport.deliver(message, rendered: try MessageRenderer.render(message))
    }

    private func failure(_ body: () throws -> Any) -> DeliveryFailure? {
        do {
            _ = try body()
            XCTFail("expected a DeliveryFailure")
        } catch let failure as DeliveryFailure {
            return failure
        } catch {
            XCTFail("unexpected error \(error)")
        }
        return nil
    }

    // MARK: - Rendering (what the file transport writes, and an SMTPUTF8 relay gets)

    func testRenderedHeadersCarryUTF8AddressesAndEncodedDisplayNames() throws {
        let rendered = try MessageRenderer.render(Fixtures.message(from: shop, to: jurgen))
        let lines = headerLines(rendered)
        XCTAssertEqual(lines.first { $0.hasPrefix("From:") }, "From: =?UTF-8?B?TcO8bGxlciBTaG9w?= <info@müller.de>")
        XCTAssertEqual(lines.first { $0.hasPrefix("To:") }, "To: =?UTF-8?B?SsO8cmdlbiBHcm/Dnw==?= <jürgen.groß@example.de>")
        let parsed = ParsedMessage(rendered)
        XCTAssertEqual(parsed.decodedHeader("To"), "Jürgen Groß <jürgen.groß@example.de>")
        XCTAssertEqual(parsed.decodedHeader("From"), "Müller Shop <info@müller.de>")
    }

    // MARK: - A relay with SMTPUTF8

    func testWithSMTPUTF8TheEnvelopeAndHeadersArriveInUTF8() throws {
        let server = try aiosmtpd(smtputf8: true)
        let message = Fixtures.message(from: shop, to: jurgen, subject: "Willkommen, Jürgen", body: "Grüß Gott!\n")
        let receipt = try deliver(message, to: server.port)
        XCTAssertTrue(receipt.detail.hasPrefix("250"), receipt.detail)
        let stored = try XCTUnwrap(try server.storedMessages().first.map(ParsedMessage.init))
        // aiosmtpd records the envelope it was given as X-MailFrom / X-RcptTo (encoded-words when not ASCII).
        XCTAssertEqual(stored.decodedHeader("X-MailFrom"), "info@müller.de")
        XCTAssertEqual(stored.decodedHeader("X-RcptTo"), "jürgen.groß@example.de")
        XCTAssertEqual(stored.header("To"), "=?UTF-8?B?SsO8cmdlbiBHcm/Dnw==?= <jürgen.groß@example.de>",
                       "the address itself is UTF-8 in the header (RFC 6532)")
        XCTAssertEqual(stored.decodedHeader("From"), "Müller Shop <info@müller.de>")
        XCTAssertEqual(stored.decodedHeader("Subject"), "Willkommen, Jürgen")
        XCTAssertEqual(stored.decodedBody, "Grüß Gott!\n")
    }

    func testWithSMTPUTF8MailFromAnnouncesIt() throws {
        let server = try scriptedServer(offering: ["8BITMIME", "SMTPUTF8"])
        _ = try deliver(Fixtures.message(to: jurgen), to: server.port)
        XCTAssertTrue(server.commands.contains("MAIL FROM:<no-reply@localhost> BODY=8BITMIME SMTPUTF8"), "\(server.commands)")
        XCTAssertTrue(server.commands.contains("RCPT TO:<jürgen.groß@example.de>"), "\(server.commands)")
        XCTAssertTrue(try XCTUnwrap(server.messages.first).contains("<jürgen.groß@example.de>"))
    }

    func testASCIIMessagesDoNotUseSMTPUTF8EvenWhenOffered() throws {
        let server = try scriptedServer(offering: ["8BITMIME", "SMTPUTF8"])
        _ = try deliver(Fixtures.message(to: Mailbox(displayName: "Zoë", address: "zoe@example.com")), to: server.port)
        XCTAssertTrue(server.commands.contains("MAIL FROM:<no-reply@localhost>"), "\(server.commands)")
    }

    // MARK: - A relay without SMTPUTF8

    func testWithoutSMTPUTF8AnIDNDomainArrivesAsPunycode() throws {
        let server = try aiosmtpd(smtputf8: false)
        let message = Fixtures.message(from: shop, to: Mailbox(displayName: "Anna Müller", address: "anna@müller.de"),
                                       subject: "Grüße", body: "Grüße\n")
        _ = try deliver(message, to: server.port)
        let raw = try XCTUnwrap(try server.storedMessages().first)
        XCTAssertTrue(raw.allSatisfy { $0 < 0x80 }, "nothing 8-bit reaches a relay without SMTPUTF8 (and 8BITMIME unused)")
        let stored = ParsedMessage(raw)
        XCTAssertEqual(stored.header("X-MailFrom"), "info@xn--mller-kva.de")
        XCTAssertEqual(stored.header("X-RcptTo"), "anna@xn--mller-kva.de")
        XCTAssertEqual(stored.header("To"), "=?UTF-8?B?QW5uYSBNw7xsbGVy?= <anna@xn--mller-kva.de>")
        XCTAssertEqual(stored.decodedHeader("From"), "Müller Shop <info@xn--mller-kva.de>")
        XCTAssertEqual(stored.decodedBody, "Grüße\n")
    }

    func testWithoutSMTPUTF8AnEightBitBodyStaysEightBitWhen8BITMIMEIsOffered() throws {
        let server = try scriptedServer(offering: ["8BITMIME"])
        let message = Fixtures.message(to: Mailbox(address: "anna@müller.de"), body: "Grüße\n")
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, timeout: 5)
        defer { transport.close() }
        _ = try transport.deliver(message, rendered: try MessageRenderer.render(message, bodyEncoding: .eightBit))
        XCTAssertTrue(server.commands.contains("MAIL FROM:<no-reply@localhost> BODY=8BITMIME"), "\(server.commands)")
        XCTAssertTrue(server.commands.contains("RCPT TO:<anna@xn--mller-kva.de>"), "\(server.commands)")
        let data = try XCTUnwrap(server.messages.first)
        XCTAssertTrue(data.contains("To: <anna@xn--mller-kva.de>") || data.contains("To: anna@xn--mller-kva.de"), data)
        XCTAssertTrue(data.contains("\r\n\r\nGrüße"), data)
    }

    func testWithoutSMTPUTF8AUTF8LocalPartIsRefusedAsNeedingIt() throws {
        let server = try aiosmtpd(smtputf8: false)
        let refused = failure { try self.deliver(Fixtures.message(to: self.jurgen), to: server.port) }
        XCTAssertEqual(refused?.kind, .requiresSMTPUTF8)
        XCTAssertEqual(refused?.message, "the recipient address \"jürgen.groß@example.de\" needs SMTPUTF8 (its local "
            + "part is not ASCII), which the SMTP server 127.0.0.1:\(server.port) does not offer")
        XCTAssertEqual(try server.storedMessages().count, 0)
        // The connection stays usable for the next, ASCII, email.
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, timeout: 5)
        defer { transport.close() }
        let message = Fixtures.message(to: jurgen)
        XCTAssertThrowsError(try transport.deliver(message, rendered: try MessageRenderer.render(message)))
        let ascii = Fixtures.message(messageID: "ascii@customer-es")
        _ = try transport.deliver(ascii, rendered: try MessageRenderer.render(ascii))
        XCTAssertEqual(try server.storedMessages().count, 1)
    }

    func testWithoutSMTPUTF8ASenderWithAUTF8LocalPartIsAnOutage() throws {
        let server = try scriptedServer(offering: ["8BITMIME"])
        let message = Fixtures.message(from: Mailbox(displayName: "Shop", address: "büro@example.de"))
        let refused = failure { try self.deliver(message, to: server.port) }
        XCTAssertEqual(refused?.kind, .outage)
        XCTAssertTrue(refused?.message.contains("the sender address \"büro@example.de\" needs SMTPUTF8") == true,
                      refused?.message ?? "")
        XCTAssertFalse(server.commands.contains { $0.hasPrefix("MAIL FROM") }, "nothing was offered to the relay")
    }
}
