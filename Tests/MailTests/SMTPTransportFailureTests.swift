import Foundation
import Mail
import TestSupport
import XCTest

/// Failure paths against scripted servers: each reply class maps to the right kind, the connection is reused or
/// replaced correctly, and every message names the server.
final class SMTPTransportFailureTests: XCTestCase {
    private var servers: [ScriptedSMTPServer] = []

    override func tearDown() {
        servers.forEach { $0.stop() }
        servers = []
    }

    private func start(_ script: @escaping ScriptedSMTPServer.Script = { _, _ in nil }) throws -> ScriptedSMTPServer {
        let server = try ScriptedSMTPServer(script: script)
        servers.append(server)
        return server
    }

    private func send(_ message: EmailMessage, with transport: SMTPTransport) throws -> DeliveryReceipt {
        try transport.deliver(message, rendered: try MessageRenderer.render(message))
    }

    private func failure(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> DeliveryFailure? {
        do {
            _ = try body()
            XCTFail("expected a DeliveryFailure", file: file, line: line)
            return nil
        } catch let failure as DeliveryFailure {
            return failure
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    func testA4xxToRCPTIsTemporaryAndTheConnectionIsResetAndReused() throws {
        let server = try start { command, _ in
            command.hasPrefix("RCPT TO:<busy@") ? .reply("450 4.2.1 Mailbox busy, try later") : nil
        }
        let transport = SMTPTransport(port: server.port, timeout: 2)
        let rejected = failure { try self.send(Fixtures.message(to: Mailbox(address: "busy@example.com")), with: transport) }
        XCTAssertEqual(rejected?.kind, .temporary)
        XCTAssertEqual(rejected?.message,
                       "SMTP server 127.0.0.1:\(server.port) temporarily rejected RCPT TO:<busy@example.com>: "
                       + "450 4.2.1 Mailbox busy, try later", "the relay's words, not repeated by ours")

        let receipt = try send(Fixtures.message(), with: transport)
        XCTAssertEqual(receipt.detail, "250 2.0.0 Ok: queued as SCRIPTED")
        transport.close()
        XCTAssertEqual(server.commands, [
            "<CONNECT 1>", "EHLO \(LocalHostName.fullyQualified)",
            "MAIL FROM:<no-reply@localhost>", "RCPT TO:<busy@example.com>",
            "RSET", "MAIL FROM:<no-reply@localhost>", "RCPT TO:<jane@example.com>", "DATA", "<DATA-END>",
            "QUIT",
        ])
    }

    func testA5xxToRCPTIsPermanent() throws {
        let server = try start { command, _ in command.hasPrefix("RCPT") ? .reply("550 5.1.1 No such user") : nil }
        let transport = SMTPTransport(port: server.port, timeout: 2)
        defer { transport.close() }
        let rejected = failure { try self.send(Fixtures.message(), with: transport) }
        XCTAssertEqual(rejected?.kind, .permanent)
        XCTAssertEqual(rejected?.message,
                       "SMTP server 127.0.0.1:\(server.port) rejected RCPT TO:<jane@example.com>: 550 5.1.1 No such user")
    }

    func testRepliesToTheEndOfDataMapToTheirKinds() throws {
        let server = try start { command, connection in
            guard command == "<DATA-END>" else { return nil }
            return connection == 1 ? .reply("451 4.3.0 Try again") : nil
        }
        let transport = SMTPTransport(port: server.port, timeout: 2)
        defer { transport.close() }
        XCTAssertEqual(failure { try self.send(Fixtures.message(), with: transport) }?.kind, .temporary)

        let permanent = try start { command, _ in command == "<DATA-END>" ? .reply("554 5.6.0 Content rejected") : nil }
        let other = SMTPTransport(port: permanent.port, timeout: 2)
        defer { other.close() }
        let rejected = failure { try self.send(Fixtures.message(), with: other) }
        XCTAssertEqual(rejected?.kind, .permanent)
        XCTAssertTrue(rejected?.message.contains("the end of the message data: 554 5.6.0 Content rejected") ?? false)
    }

    func testFallsBackToHELOWhenEHLOIsRejected() throws {
        let server = try start { command, _ in command.hasPrefix("EHLO") ? .reply("502 5.5.1 Command not implemented") : nil }
        let transport = SMTPTransport(port: server.port, heloName: "sender.test", timeout: 2)
        _ = try send(Fixtures.message(), with: transport)
        transport.close()
        XCTAssertEqual(Array(server.commands.prefix(4)), ["<CONNECT 1>", "EHLO sender.test", "HELO sender.test", "MAIL FROM:<no-reply@localhost>"])
    }

    func testEHLOAndHELOBothRejectedIsATemporaryFailure() throws {
        let server = try start { command, _ in
            command.hasPrefix("EHLO") || command.hasPrefix("HELO") ? .reply("550 5.7.1 Go away") : nil
        }
        let transport = SMTPTransport(port: server.port, timeout: 2)
        let refused = failure { try self.send(Fixtures.message(), with: transport) }
        XCTAssertEqual(refused?.kind, .temporary)
        XCTAssertTrue(refused?.message.contains("rejected both EHLO and HELO") ?? false, refused?.message ?? "")
    }

    func testAGreetingOtherThan220IsATemporaryFailure() throws {
        let server = try start { command, _ in command == "<CONNECT>" ? .reply("554 5.3.2 No service for you") : nil }
        let transport = SMTPTransport(port: server.port, timeout: 2)
        let refused = failure { try self.send(Fixtures.message(), with: transport) }
        XCTAssertEqual(refused?.kind, .temporary)
        XCTAssertEqual(refused?.message,
                       "SMTP server 127.0.0.1:\(server.port) greeted us with 554 5.3.2 No service for you instead of 220")
    }

    func testNothingListeningIsATemporaryFailureNamingHostAndPort() throws {
        let port = try TestSockets.freePort()
        let transport = SMTPTransport(host: "127.0.0.1", port: port, timeout: 2)
        let refused = failure { try self.send(Fixtures.message(), with: transport) }
        XCTAssertEqual(refused?.kind, .temporary)
        XCTAssertEqual(refused?.message,
                       "SMTP server 127.0.0.1:\(port) refused the connection (is it running and listening on that port?)")
    }

    func testAnUnresolvableHostIsATemporaryFailure() throws {
        let transport = SMTPTransport(host: "no-such-host.invalid", port: 25, timeout: 2)
        let failed = failure { try self.send(Fixtures.message(), with: transport) }
        XCTAssertEqual(failed?.kind, .temporary)
        XCTAssertTrue(failed?.message.hasPrefix("cannot resolve the SMTP host \"no-such-host.invalid\"") ?? false,
                      failed?.message ?? "")
    }

    func testASilentServerTimesOutWithinTheTimeout() throws {
        let server = try start { command, _ in command == "<CONNECT>" ? .silence : nil }
        let transport = SMTPTransport(port: server.port, timeout: 0.5)
        let started = Date()
        let silent = failure { try self.send(Fixtures.message(), with: transport) }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        XCTAssertEqual(silent?.kind, .temporary)
        XCTAssertEqual(silent?.message, "SMTP server 127.0.0.1:\(server.port) did not answer the greeting within 0.5 s")
    }

    func testAConnectionDroppedMidTransactionIsTemporaryAndReplacedNextTime() throws {
        let server = try start { command, connection in
            connection == 1 && command.hasPrefix("RCPT") ? .hangUp : nil
        }
        let transport = SMTPTransport(port: server.port, timeout: 2)
        defer { transport.close() }
        let dropped = failure { try self.send(Fixtures.message(), with: transport) }
        XCTAssertEqual(dropped?.kind, .temporary)
        XCTAssertEqual(dropped?.message,
                       "SMTP server 127.0.0.1:\(server.port) closed the connection unexpectedly while we waited for "
                       + "the reply to RCPT TO:<jane@example.com>")
        _ = try send(Fixtures.message(), with: transport)
        XCTAssertEqual(server.connections, 2)
    }

    func testAnIdleConnectionTheServerTimedOutIsReplacedTransparently() throws {
        // Relays end idle sessions with 421; the next transaction must not fail because of it.
        let mailCommands = ThreadSafeCounter()
        let server = try start { command, connection in
            guard connection == 1, command.hasPrefix("MAIL") else { return nil }
            return mailCommands.next() == 2 ? .replyAndHangUp("421 4.4.2 Idle timeout, closing connection") : nil
        }
        let transport = SMTPTransport(port: server.port, timeout: 2)
        defer { transport.close() }
        _ = try send(Fixtures.message(messageID: "one@x"), with: transport)
        _ = try send(Fixtures.message(messageID: "two@x"), with: transport)
        XCTAssertEqual(server.connections, 2)
        XCTAssertEqual(server.messages.count, 2)
    }

    func testAnIdleConnectionTheServerClosedSilentlyIsReplacedTransparently() throws {
        let server = try start { command, connection in
            connection == 1 && command == "<DATA-END>" ? .replyAndHangUp("250 2.0.0 Ok") : nil
        }
        let transport = SMTPTransport(port: server.port, timeout: 2)
        defer { transport.close() }
        _ = try send(Fixtures.message(messageID: "one@x"), with: transport)
        usleep(100_000)  // let the close reach our side, as it would during a real idle period
        _ = try send(Fixtures.message(messageID: "two@x"), with: transport)
        XCTAssertEqual(server.connections, 2)
        XCTAssertEqual(server.messages.count, 2)
    }

    func testDotStuffingOnTheWire() throws {
        let server = try start()
        let transport = SMTPTransport(port: server.port, timeout: 2)
        defer { transport.close() }
        let message = Fixtures.message(body: ".\n.leading\nnot.leading\n")
        _ = try send(message, with: transport)
        let data = try XCTUnwrap(server.messages.first)
        XCTAssertTrue(data.hasSuffix("\r\n..\r\n..leading\r\nnot.leading"), data)
    }

    func testRawBytesAreFramedSafely() throws {
        // Bare LFs, a lone CR and a fake end-of-data line: the server must see exactly one message.
        let server = try start()
        let transport = SMTPTransport(port: server.port, timeout: 2)
        defer { transport.close() }
        let raw = Array("Subject: raw\n\nline one\r.\r\nsmuggled\n.\nMAIL FROM:<evil@x>\nno final newline".utf8)
        _ = try transport.deliver(Fixtures.message(), rendered: raw)
        XCTAssertEqual(server.messages, [
            "Subject: raw\r\n\r\nline one\r\n..\r\nsmuggled\r\n..\r\nMAIL FROM:<evil@x>\r\nno final newline",
        ])
        XCTAssertFalse(server.commands.contains("MAIL FROM:<evil@x>"))
    }

    func testEightBitContentFallsBackToQuotedPrintableWithout8BITMIME() throws {
        let plain = try start { command, _ in command.hasPrefix("EHLO") ? .reply("250 plain.test") : nil }
        let transport = SMTPTransport(port: plain.port, timeout: 2)
        defer { transport.close() }
        let message = Fixtures.message(body: "Grüße\n")
        _ = try transport.deliver(message, rendered: try MessageRenderer.render(message, bodyEncoding: .eightBit))
        XCTAssertTrue(plain.commands.contains("MAIL FROM:<no-reply@localhost>"))
        let data = try XCTUnwrap(plain.messages.first)
        XCTAssertTrue(data.contains("Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe"), data)

        let modern = try start()
        let other = SMTPTransport(port: modern.port, timeout: 2)
        defer { other.close() }
        _ = try other.deliver(message, rendered: try MessageRenderer.render(message, bodyEncoding: .eightBit))
        XCTAssertTrue(modern.commands.contains("MAIL FROM:<no-reply@localhost> BODY=8BITMIME"), "\(modern.commands)")
    }

    func testAHELONameThatCouldInjectCommandsIsRefusedBeforeConnecting() throws {
        let server = try start()
        let transport = SMTPTransport(port: server.port, heloName: "me\r\nMAIL FROM:<x@y>", timeout: 2)
        XCTAssertEqual(failure { try self.send(Fixtures.message(), with: transport) }?.kind, .temporary)
        XCTAssertEqual(server.connections, 0)
    }

    func testEnvelopeAddressesThatCouldInjectCommandsAreRefusedBeforeConnecting() throws {
        let server = try start()
        let transport = SMTPTransport(port: server.port, timeout: 2)
        let message = Fixtures.message(to: Mailbox(address: "jane@example.com>\r\nRCPT TO:<victim@example.com"))
        let refused = failure { try transport.deliver(message, rendered: Array("x\r\n".utf8)) }
        XCTAssertEqual(refused?.kind, .permanent)
        XCTAssertEqual(server.connections, 0)
    }
}
