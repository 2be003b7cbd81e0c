import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Mail
import Projections
import TestSupport
import XCTest

/// `outbox retry`: dead emails back in the queue, as audited events that a rebuild reproduces.
final class OutboxRetryTests: XCTestCase {
    /// One email that died after its only allowed attempt (the relay was down).
    private func storeWithADeadEmail() throws -> (OutboxTestStore, OutboxEntry) {
        let store = try OutboxTestStore()
        _ = try store.service.changeSetting("delivery-max-attempts", to: "1", metadata: store.metadata)
        try store.create("maria@example.com")
        let summary = try store.dispatcher(SMTPTransport(port: try TestSockets.freePort(), timeout: 2)).dispatchDue()
        XCTAssertEqual(summary.dead, 1)
        let dead = try XCTUnwrap(try store.entries().first)
        XCTAssertEqual(dead.deadReason, .attemptsExhausted)
        return (store, dead)
    }

    func testRetryPutsADeadEmailBackAsAnAuditedEventAndItIsSent() throws {
        let (store, dead) = try storeWithADeadEmail()
        let outcome = try store.service.retryDeadEmails(.entries([dead.id]), metadata: CommandMetadata(actor: "alice"))
        XCTAssertEqual(outcome.message, "Requeued 1 dead email; `customer-es outbox dispatch` delivers it.")
        let requeued = try XCTUnwrap(try store.entry(dead.id))
        XCTAssertEqual(requeued.state, .pending)
        XCTAssertEqual(requeued.attempts, 0, "the schedule starts again")
        XCTAssertNil(requeued.deadReason)

        let events = try store.service.store.readStream(try StreamName(OutboxEvent.streamName(forEntry: dead.id)))
        XCTAssertEqual(events.map(\.type), ["EmailDead", "EmailRequeued"])
        XCTAssertEqual(events.last?.type, "EmailRequeued")
        XCTAssertEqual(events.last?.metadata.actor, "alice", "who requeued it is recorded")
        guard case .requeued(let event)? = try store.outcomes(of: dead.id).last else { return XCTFail("no EmailRequeued") }
        XCTAssertEqual(event.previousAttempts, 1)

        // The rebuild reproduces it.
        let before = try store.entries()
        try outboxReplay(EmailOutbox(), store: store.service.store)
        XCTAssertEqual(try store.entries(), before)

        XCTAssertEqual(try store.dispatcher(store.fileTransport()).dispatchDue().sent, 1)
        XCTAssertEqual(try store.entry(dead.id)?.state, .sent)
    }

    func testARetriedEmailWhoseTokenExpiredIsStillNotSent() throws {
        let (store, dead) = try storeWithADeadEmail()
        store.clock.advance(by: 8 * 86_400)  // past the 7 d verification lifetime
        _ = try store.service.retryDeadEmails(.allGivenUp, metadata: store.metadata)
        let summary = try store.dispatcher(store.fileTransport()).dispatchDue()
        XCTAssertEqual(summary.notSent, 1)
        XCTAssertEqual(try store.entry(dead.id)?.deadReason, .tokenExpired)
        XCTAssertEqual(store.files().eml, [], "no dead link was sent")
        // Not sent on purpose: retrying cannot help, and --dead leaves it alone.
        XCTAssertEqual(try store.service.retryDeadEmails(.allGivenUp, metadata: store.metadata).message, "No dead emails to retry.")
        XCTAssertThrowsError(try store.service.retryDeadEmails(.entries([dead.id]), metadata: store.metadata)) { error in
            XCTAssertEqual((error as? DomainError)?.code, .emailNotRetryable)
            XCTAssertTrue((error as? DomainError)?.message.contains("token-expired") ?? false, "\(error)")
        }
    }

    func testOnlyDeadEmailsCanBeRetriedAndABadListWritesNothing() throws {
        let (store, dead) = try storeWithADeadEmail()
        try store.create("other@example.com")
        let pending = try XCTUnwrap(try store.entries("pending").first)
        let unknown = UUID()
        let head = try store.service.store.headPosition()
        XCTAssertThrowsError(try store.service.retryDeadEmails(.entries([dead.id, pending.id, unknown]), metadata: store.metadata)) { error in
            let domain = error as? DomainError
            XCTAssertEqual(domain?.code, .emailNotFound)
            XCTAssertEqual(domain?.problems.map(\.field), [pending.id, unknown].map { $0.uuidString.lowercased() })
            XCTAssertTrue(domain?.problems.first?.message.contains("is pending") ?? false, "\(error)")
        }
        XCTAssertEqual(try store.service.store.headPosition(), head, "nothing written")
        XCTAssertEqual(try store.entry(dead.id)?.state, .dead)
    }
}
