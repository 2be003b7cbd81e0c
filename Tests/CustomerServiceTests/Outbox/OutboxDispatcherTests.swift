import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Mail
import Projections
import TestSupport
import XCTest

/// The dispatcher against a real store, real files and real sockets, with a manual clock for backoff and expiry.
final class OutboxDispatcherTests: XCTestCase {
    // MARK: File transport and content

    func testFileTransportWritesOneCompleteEmlPerEmailAndItsLinkVerifies() throws {
        let store = try OutboxTestStore()
        try store.create("zoe@example.com", first: "Zoë", last: "Ørsted", locale: "de_DE", passwordToken: true)
        let summary = try store.dispatcher(store.fileTransport()).dispatchDue()
        XCTAssertEqual(summary.sent, 2)
        XCTAssertEqual(summary.waiting, 0)

        let entries = try store.entries()
        XCTAssertEqual(entries.map(\.state), [.sent, .sent])
        XCTAssertEqual(entries.map(\.attempts), [1, 1])
        XCTAssertEqual(entries.map(\.transport), ["file", "file"])
        let files = store.files()
        XCTAssertEqual(files.eml, entries.map { $0.messageId + ".eml" }.sorted())
        XCTAssertEqual(files.other, [], "written atomically: no temporary file is left behind")

        let verification = try XCTUnwrap(entries.first { $0.kind == .verification })
        let raw = Array(try Data(contentsOf: store.folder.path("mail").appendingPathComponent(verification.messageId + ".eml")))
        XCTAssertFalse(zip(raw, raw.dropFirst()).contains { $0.1 == 0x0A && $0.0 != 0x0D }, "CRLF line endings only")
        let message = ParsedMessage(raw)
        XCTAssertEqual(message.header("Message-ID"), "<\(verification.messageId)>")
        XCTAssertEqual(message.header("MIME-Version"), "1.0")
        XCTAssertEqual(message.header("Content-Type"), "text/plain; charset=utf-8")
        XCTAssertEqual(message.header("Date"), "Tue, 1 Jan 2030 12:00:00 +0000", "the time it was queued")
        XCTAssertEqual(message.decodedHeader("From"), "Shop <no-reply@localhost>")
        XCTAssertEqual(message.decodedHeader("To"), "Zoë Ørsted <zoe@example.com>")
        XCTAssertEqual(message.decodedHeader("Subject"), "Vielen Dank für deine Anmeldung!")
        XCTAssertTrue(message.header("Subject")?.hasPrefix("=?UTF-8?B?") == true, "RFC 2047 encoded")
        XCTAssertTrue(message.decodedBody.hasPrefix("Hallo Zoë Ørsted,"), message.decodedBody)
        let token = try XCTUnwrap(message.token(inLinkStarting: "http://localhost:8080/register/confirm?token="))
        XCTAssertTrue(message.decodedBody.contains("/register/confirm?token=\(token)&_locale=de_DE\n"))
        XCTAssertEqual(token, store.service.token(for: verification.tokenId, purpose: .emailVerification))
        let rawText = String(decoding: raw, as: UTF8.self)
        XCTAssertEqual(message.header("Content-Transfer-Encoding"), "8bit")
        XCTAssertTrue(rawText.contains("http://localhost:8080/register/confirm?token=\(token)&_locale=de_DE\r\n"),
                      "the .eml file literally contains the verification link")

        // The outcome is an event on the entry's own stream.
        guard case .sent(let sent)? = try store.outcomes(of: verification.id).first else { return XCTFail("no EmailSent") }
        XCTAssertEqual(sent.messageId, verification.messageId)
        XCTAssertEqual(sent.transport, "file")
        XCTAssertEqual(sent.attempt, 1)
        XCTAssertTrue(sent.detail.hasSuffix(verification.messageId + ".eml"))

        _ = try store.service.verifyEmail(token: token, metadata: store.metadata)
        XCTAssertEqual(try store.service.customer("DE--1").1.status, .verified)
        XCTAssertEqual(try store.dispatcher(store.fileTransport()).dispatchDue().processed, 0, "nothing is sent twice")
    }

    func testBaseURLAndSenderComeFromTheSettingsAtDispatch() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com", passwordToken: true)
        _ = try store.service.changeSetting("base-url", to: "https://shop.example.com/", metadata: store.metadata)
        _ = try store.service.changeSetting("sender", to: "Example Shop <shop@example.com>", metadata: store.metadata)
        _ = try store.dispatcher(store.fileTransport()).dispatchDue()
        let password = try XCTUnwrap(try store.entries().first { $0.kind == .passwordSet })
        let message = ParsedMessage(Array(try Data(contentsOf: store.folder.path("mail").appendingPathComponent(password.messageId + ".eml"))))
        XCTAssertEqual(message.header("From"), "Example Shop <shop@example.com>")
        XCTAssertEqual(message.decodedHeader("Subject"), "Set your password")
        XCTAssertTrue(message.decodedBody.hasPrefix("Hello Maria Williams,"))
        let token = try XCTUnwrap(message.token(inLinkStarting: "https://shop.example.com/password/restore?token="))
        XCTAssertTrue(message.decodedBody.contains("/password/restore?token=\(token)&_locale=en_US\n"))
    }

    // MARK: Backoff and dead letters

    func testTemporaryFailuresBackOffExponentiallyThenTheEmailIsDead() throws {
        let store = try OutboxTestStore()
        let server = try ScriptedSMTPServer(dataReply: { _ in "451 4.3.0 mailbox busy, try later" })
        defer { server.stop() }
        try store.create("maria@example.com")
        // The schedule is a store setting (default: 31 attempts over about a day); five keep the test short.
        _ = try store.service.changeSetting("delivery-max-attempts", to: "5", metadata: store.metadata)
        let dispatcher = try store.dispatcher(SMTPTransport(port: server.port, timeout: 5))
        let id = try XCTUnwrap(try store.entries().first?.id)

        for (attempt, delay) in [(1, 30.0), (2, 60), (3, 120), (4, 240)] {
            let failedAt = store.clock.now
            XCTAssertEqual(try dispatcher.dispatchDue().failed, 1, "attempt \(attempt)")
            let entry = try XCTUnwrap(try store.entry(id))
            XCTAssertEqual(entry.state, .failed(nextAttemptAt: failedAt + delay), "attempt \(attempt)")
            XCTAssertEqual(entry.attempts, attempt)
            XCTAssertTrue(entry.lastError?.contains("451 4.3.0") == true, entry.lastError ?? "")
            XCTAssertEqual(try dispatcher.dispatchDue().processed, 0, "not due again at once")
            store.clock.advance(by: delay - 1)
            XCTAssertEqual(try dispatcher.dispatchDue().processed, 0, "not due a second early")
            store.clock.advance(by: 1)
        }
        let last = try dispatcher.dispatchDue()
        XCTAssertEqual(last.dead, 1)
        XCTAssertEqual(last.notSent, 0)
        let entry = try XCTUnwrap(try store.entry(id))
        XCTAssertEqual(entry.state, .dead)
        XCTAssertEqual(entry.deadReason, .attemptsExhausted)
        XCTAssertEqual(entry.attempts, 5)
        XCTAssertEqual(entry.lastError, "SMTP server 127.0.0.1:\(server.port) temporarily rejected the end of the message data: "
                       + "451 4.3.0 mailbox busy, try later", "the last error once, without repeating the attempt count")
        XCTAssertEqual(server.messages.count, 5)
        store.clock.advance(by: 86_400)
        XCTAssertEqual(try dispatcher.dispatchDue().processed, 0, "a dead letter is never retried")

        let outcomes = try store.outcomes(of: id)
        XCTAssertEqual(outcomes.map(\.typeName), Array(repeating: "EmailDeliveryFailed", count: 4) + ["EmailDead"])
        guard case .deliveryFailed(let second) = outcomes[1] else { return XCTFail() }
        XCTAssertEqual(second.nextAttemptAt.timeIntervalSince(second.failedAt), 60, accuracy: 0.001)
    }

    func testAFourXXThenSuccessIsSentOnTheRetry() throws {
        let store = try OutboxTestStore()
        let server = try ScriptedSMTPServer(dataReply: { number in number == 1 ? "421 4.7.0 not now" : "250 2.0.0 queued" })
        defer { server.stop() }
        try store.create("maria@example.com")
        let dispatcher = try store.dispatcher(SMTPTransport(port: server.port, timeout: 5))
        XCTAssertEqual(try dispatcher.dispatchDue().failed, 1)
        store.clock.advance(by: 30)
        XCTAssertEqual(try dispatcher.dispatchDue().sent, 1)
        let entry = try XCTUnwrap(try store.entries().first)
        XCTAssertEqual(entry.state, .sent)
        XCTAssertEqual(entry.attempts, 2)
        XCTAssertTrue(entry.lastError?.contains("421") == true)
        XCTAssertNil(entry.currentError, "an earlier failure is not shown for a sent email")
    }

    func testAPermanentRejectionIsDeadAtOnce() throws {
        let store = try OutboxTestStore()
        let server = try ScriptedSMTPServer(dataReply: { _ in "550 5.1.1 no such mailbox" })
        defer { server.stop() }
        try store.create("nobody@example.com")
        let summary = try store.dispatcher(SMTPTransport(port: server.port, timeout: 5)).dispatchDue()
        XCTAssertEqual(summary.dead, 1)
        let entry = try XCTUnwrap(try store.entries().first)
        XCTAssertEqual(entry.state, .dead)
        XCTAssertEqual(entry.deadReason, .rejected)
        XCTAssertEqual(entry.attempts, 1)
        XCTAssertTrue(entry.lastError?.contains("550 5.1.1") == true, entry.lastError ?? "")
    }

    func testARelayThatIsDownLeavesTheEmailFailedWithANextAttempt() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com", passwordToken: true)
        let summary = try store.dispatcher(SMTPTransport(port: try TestSockets.freePort(), timeout: 2)).dispatchDue()
        XCTAssertEqual(summary.failed, 2)
        XCTAssertEqual(summary.waiting, 2)
        XCTAssertEqual(summary.nextDueAt, store.clock.now + 30)
        for entry in try store.entries() {
            XCTAssertEqual(entry.state, .failed(nextAttemptAt: store.clock.now + 30))
            XCTAssertTrue(entry.lastError?.contains("refused") == true, entry.lastError ?? "")
        }
    }

    // MARK: Emails whose link would not work

    func testAnEmailWhoseTokenExpiredBeforeDispatchIsNotSent() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com", passwordToken: true)
        store.clock.advance(by: 3 * 3_600)  // the password token (2 h) expired, the verification token (7 d) did not
        let summary = try store.dispatcher(store.fileTransport()).dispatchDue()
        XCTAssertEqual(summary.sent, 1)
        XCTAssertEqual(summary.dead, 1)
        XCTAssertEqual(summary.notSent, 1)
        let password = try XCTUnwrap(try store.entries().first { $0.kind == .passwordSet })
        XCTAssertEqual(password.state, .dead)
        XCTAssertEqual(password.deadReason, .tokenExpired)
        XCTAssertEqual(password.attempts, 0, "never handed to a transport")
        XCTAssertEqual(password.lastError, "token expired before dispatch; request a new one with `customer-es send-password-token DE--1`")
        XCTAssertFalse(store.files().eml.contains(password.messageId + ".eml"))

        try store.create("late@example.com")
        store.clock.advance(by: 7 * 86_400)
        _ = try store.dispatcher(store.fileTransport()).dispatchDue()
        let late = try XCTUnwrap(try store.entries().last)
        XCTAssertEqual(late.lastError, "token expired before dispatch; request a new one with `customer-es resend-verification DE--2`")
        XCTAssertEqual(store.files().eml.count, 1)
    }

    func testReplacedAndNoLongerNeededVerificationEmailsAreNotSent() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        _ = try store.service.resendVerification(to: "DE--1", metadata: store.metadata)
        try store.create("bob@example.com")
        let bob = try XCTUnwrap(try store.entries().last)
        _ = try store.service.verifyEmail(token: store.service.token(for: bob.tokenId, purpose: .emailVerification), metadata: store.metadata)

        let summary = try store.dispatcher(store.fileTransport()).dispatchDue()
        XCTAssertEqual(summary.sent, 1)
        XCTAssertEqual(summary.notSent, 2)
        let entries = try store.entries()
        XCTAssertEqual(entries.map(\.deadReason), [.tokenSuperseded, nil, .alreadyVerified])
        XCTAssertEqual(entries[0].lastError, "not sent: a newer verification email for DE--1 replaced this one (its link would not work)")
        XCTAssertEqual(entries[2].lastError, "not sent: DE--2 is already verified")
        XCTAssertEqual(store.files().eml, [entries[1].messageId + ".eml"])
    }

    // MARK: Leases

    func testTwoDispatchersNeverClaimTheSameEmail() throws {
        let store = try OutboxTestStore()
        try store.createMany(30)
        let first = try store.dispatcher(store.fileTransport("first"), id: "first")
        let second = try store.dispatcher(store.fileTransport("second"), id: "second")
        let claimedByFirst = try first.claim(now: store.clock.now, maximum: 10)
        let claimedBySecond = try second.claim(now: store.clock.now, maximum: 100)
        XCTAssertEqual(claimedByFirst.count, 10)
        XCTAssertEqual(claimedBySecond.count, 20, "the other dispatcher's leased entries are skipped")
        XCTAssertTrue(Set(claimedByFirst.map(\.id)).isDisjoint(with: claimedBySecond.map(\.id)))
        XCTAssertEqual(try first.claim(now: store.clock.now, maximum: 100).map(\.id), claimedByFirst.map(\.id),
                       "a dispatcher may renew its own leases, never take the other's")

        try second.record(try second.deliver(claimedBySecond).deliveries, releasing: claimedBySecond.map(\.id))
        XCTAssertEqual(try first.dispatchDue().sent, 10)
        XCTAssertEqual(store.files(in: "first").eml.count, 10)
        XCTAssertEqual(store.files(in: "second").eml.count, 20)
        XCTAssertTrue(Set(store.files(in: "first").eml).isDisjoint(with: store.files(in: "second").eml))
        XCTAssertEqual(try store.entries("sent").count, 30)
    }

    func testAfterACrashMidSendTheLeaseExpiresAndTheEmailGoesAgainWithTheSameMessageID() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com", passwordToken: true)
        let crashed = try store.dispatcher(store.fileTransport("crashed"), id: "crashed")
        let claimed = try crashed.claim(now: store.clock.now, maximum: 100)
        _ = try crashed.deliver(claimed)  // sent, but the process "dies" before recording the outcomes

        let survivor = try store.dispatcher(store.fileTransport("survivor"), id: "survivor")
        XCTAssertEqual(try survivor.dispatchDue().processed, 0, "leased by the crashed dispatcher")
        store.clock.advance(by: 59)
        XCTAssertEqual(try survivor.dispatchDue().processed, 0)
        store.clock.advance(by: 1)
        XCTAssertEqual(try survivor.dispatchDue().sent, 2, "the lease (60 s) expired")
        XCTAssertEqual(store.files(in: "survivor").eml, store.files(in: "crashed").eml, "same Message-IDs, same file names")
        for entry in try store.entries() {
            XCTAssertEqual(entry.state, .sent)
            XCTAssertEqual(try store.outcomes(of: entry.id).count, 1)
        }
    }

    func testStoppingFinishesTheEmailInFlightAndLeavesTheRestDue() throws {
        let store = try OutboxTestStore()
        try store.createMany(5)
        var deliveries = 0
        let summary = try store.dispatcher(store.fileTransport()).dispatchDue(shouldStop: { deliveries >= 2 }, onDelivery: { _ in deliveries += 1 })
        XCTAssertEqual(summary.sent, 2)
        XCTAssertTrue(summary.interrupted)
        XCTAssertEqual(summary.waiting, 3)
        XCTAssertEqual(try store.dispatcher(store.fileTransport()).dispatchDue().sent, 3, "the rest was released, not left leased")
    }

    func testWatchDispatchesEmailsQueuedWhileItRuns() throws {
        let store = try OutboxTestStore()
        try store.create("first@example.com")
        let dispatcher = try store.dispatcher(store.fileTransport())
        var seen: [String] = []
        let summary = try dispatcher.watch(pollInterval: 0.01, shouldStop: { seen.count >= 3 }, onDelivery: { delivery in
            seen.append(delivery.recipient)
            if seen.count == 1 { _ = try? store.create("second@example.com", passwordToken: true) }
        })
        XCTAssertEqual(seen, ["first@example.com", "second@example.com", "second@example.com"])
        XCTAssertEqual(summary.sent, 3)
        XCTAssertTrue(summary.interrupted)
    }

    // MARK: Header injection

    func testANameWithALineBreakIsRejectedAtCreationAndRefusedByTheRenderer() throws {
        let store = try OutboxTestStore()
        XCTAssertThrowsError(try store.create("eve@example.com", first: "Eve\r\nBcc: all@example.com")) { error in
            let domain = error as? DomainError
            XCTAssertEqual(domain?.code, .validationFailed)
            XCTAssertEqual(Set(domain?.problems.map(\.field) ?? []), ["first-name"])
            XCTAssertTrue(domain?.problems.contains { $0.message.contains("control characters") } == true, "\(error)")
        }
        XCTAssertEqual(try store.entries().count, 0, "nothing written, nothing queued")

        let injected = EmailMessage(
            from: Mailbox(displayName: "Shop", address: "no-reply@localhost"),
            to: Mailbox(displayName: "Eve\r\nBcc: all@example.com", address: "eve@example.com"),
            subject: "Thank you for signing up!", textBody: "Hello\n", date: store.clock.now, messageID: "x@customer-es")
        XCTAssertThrowsError(try MessageRenderer.render(injected)) { error in
            XCTAssertEqual((error as? MessageRenderingError)?.header, "To")
        }

        // A log written by something else than the decider (an old version, a hand-made import) could still hold
        // such a name: the dispatcher records the email as not sent instead of sending a broken message.
        let id = CustomerID(UUID())
        let profile = CustomerProfile(email: "eve@example.com", salutation: .ms, firstName: "Eve\nBcc: all@example.com", lastName: "X", locale: "en_US")
        let events: [CustomerEvent] = [
            .created(CustomerCreated(customerId: id, reference: CustomerReference(prefix: "DE", number: 1), profile: profile, createdAt: store.clock.now, origin: .backOffice)),
            .verificationRequested(VerificationRequested(tokenId: UUID(), expiresAt: store.clock.now + 3_600, reason: .signUp)),
        ]
        try store.service.store.append(
            events.map { EventData(type: $0.typeName, metadata: EventMetadata(actor: "test"), payload: $0.encodePayload()) },
            to: try StreamName(id.streamName), expectedVersion: .noStream)
        let summary = try store.dispatcher(store.fileTransport()).dispatchDue()
        XCTAssertEqual(summary.notSent, 1)
        let entry = try XCTUnwrap(try store.entries().first)
        XCTAssertEqual(entry.deadReason, .cannotRender)
        XCTAssertTrue(entry.lastError?.contains("To header") == true, entry.lastError ?? "")
        XCTAssertEqual(store.files().eml, [])
    }
}
