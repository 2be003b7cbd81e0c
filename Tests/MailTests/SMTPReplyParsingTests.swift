import Mail
import TestSupport
import XCTest

/// How the client reads replies, observed through a scripted server: multi-line replies, malformed ones, and
/// server text that must not reach logs or terminals unfiltered.
final class SMTPReplyParsingTests: XCTestCase {
    private var servers: [ScriptedSMTPServer] = []

    override func tearDown() {
        servers.forEach { $0.stop() }
        servers = []
    }

    private func deliver(replying reply: String, to step: String) throws -> Result<DeliveryReceipt, DeliveryFailure> {
        let server = try ScriptedSMTPServer { command, _ in command.hasPrefix(step) ? .reply(reply) : nil }
        servers.append(server)
        let transport = SMTPTransport(port: server.port, timeout: 2)
        defer { transport.close() }
        let message = Fixtures.message()
        let rendered = try MessageRenderer.render(message)
        do {
            return .success(try transport.deliver(message, rendered: rendered))
        } catch {
            return .failure(error)
        }
    }

    func testReadsMultiLineRepliesWhole() throws {
        let receipt = try deliver(replying: "250-first line\r\n250-second line\r\n250 last line", to: "<DATA-END>").get()
        XCTAssertEqual(receipt.detail, "250 first line / second line / last line")
        let greeting = try deliver(replying: "220-mx.test ESMTP\r\n220-no UCE\r\n220 welcome", to: "<CONNECT>").get()
        XCTAssertEqual(greeting.transport, "smtp")
        XCTAssertEqual(try deliver(replying: "250", to: "<DATA-END>").get().detail, "250")
    }

    func testMalformedRepliesAreTemporaryFailuresThatSaySo() throws {
        let cases = [
            ("hello there", "the line \"hello there\" does not start with a reply code"),
            ("25", "the line \"25\" does not start with a reply code"),
            ("250x", "the line \"250x\" has no space or '-' after its reply code"),
            ("250-a\r\n251 b", "a multi-line reply changed its code from 250 to 251"),
            ("650 nope", "the line \"650 nope\" does not start with a reply code"),
        ]
        for (reply, problem) in cases {
            let result = try deliver(replying: reply, to: "MAIL")
            guard case .failure(let failure) = result else { return XCTFail("accepted \(reply.debugDescription)") }
            XCTAssertEqual(failure.kind, .temporary)
            XCTAssertTrue(failure.message.hasSuffix("sent a malformed reply to MAIL FROM:<no-reply@localhost>: \(problem) "
                                                    + "(is it really an SMTP server?)"), failure.message)
        }
    }

    func testAnswersOutOfSequenceAreTemporaryFailures() throws {
        guard case .failure(let failure) = try deliver(replying: "250 OK", to: "DATA") else { return XCTFail("accepted") }
        XCTAssertEqual(failure.kind, .temporary)
        XCTAssertTrue(failure.message.hasSuffix("answered DATA with the unexpected reply 250 OK"), failure.message)
    }

    func testControlCharactersInServerTextAreDropped() throws {
        let receipt = try deliver(replying: "250 ok\u{1B}[31m\u{7}red", to: "<DATA-END>").get()
        XCTAssertEqual(receipt.detail, "250 ok[31mred")
    }
}
