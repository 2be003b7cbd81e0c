import CustomerAggregate
@testable import CustomerService
import Foundation
import Projections
import XCTest

/// The pure rules: backoff delays, and how an entry follows its delivery events.
final class OutboxRulesTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 1_893_499_200)

    func testBackoffDoublesFromThirtySecondsToAnHourAndGivesUpAfterAboutADay() {
        let policy = OutboxRetryPolicy(StoreSettings.defaults)
        let delays = (1...9).map { policy.nextAttempt(afterFailedAttempt: $0, at: start)?.timeIntervalSince(start) }
        XCTAssertEqual(delays, [30, 60, 120, 240, 480, 960, 1_920, 3_600, 3_600])
        XCTAssertNil(policy.nextAttempt(afterFailedAttempt: 31, at: start), "the 31st failure is final")
        let lastAttempt = (1...30).map(policy.delay(afterFailedAttempt:)).reduce(0, +)
        XCTAssertEqual(lastAttempt / 3_600, 24, accuracy: 0.5, "the last attempt comes about a day after the first")
        let five = OutboxRetryPolicy(backoff: DeliveryBackoff(first: 30, maximum: 3_600), maximumAttempts: 5)
        XCTAssertNil(five.nextAttempt(afterFailedAttempt: 5, at: start), "the schedule follows the settings")
        let long = OutboxRetryPolicy(backoff: DeliveryBackoff(first: 30, maximum: 3_600), maximumAttempts: 100)
        XCTAssertEqual(long.delay(afterFailedAttempt: 8), 3_600, "capped at one hour")
        XCTAssertEqual(long.delay(afterFailedAttempt: 99), 3_600)
    }

    func testASentEmailStaysSentAndOnlySentOverridesDead() {
        let id = UUID()
        var entry = Self.entry(id, queuedAt: start)
        XCTAssertEqual(entry.dueAt, start)
        entry = entry.applying(.deliveryFailed(.init(entryId: id, attempt: 1, failedAt: start, error: "451", nextAttemptAt: start + 30)))
        XCTAssertEqual(entry.state, .failed(nextAttemptAt: start + 30))
        XCTAssertEqual(entry.dueAt, start + 30)
        XCTAssertEqual(entry.lastError, "451")
        let sent = entry.applying(.sent(.init(entryId: id, attempt: 2, sentAt: start + 31, transport: "smtp", messageId: entry.messageId, detail: "250")))
        XCTAssertEqual(sent.state, .sent)
        XCTAssertEqual(sent.attempts, 2)
        XCTAssertNil(sent.dueAt)
        XCTAssertEqual(sent.applying(.deliveryFailed(.init(entryId: id, attempt: 3, failedAt: start, error: "x", nextAttemptAt: start))), sent)
        XCTAssertEqual(sent.applying(.dead(.init(entryId: id, attempts: 3, at: start, reason: .rejected, message: "x"))), sent)

        let dead = entry.applying(.dead(.init(entryId: id, attempts: 2, at: start, reason: .rejected, message: "550")))
        XCTAssertEqual(dead.state, .dead)
        XCTAssertEqual(dead.deadReason, .rejected)
        XCTAssertEqual(dead.applying(.deliveryFailed(.init(entryId: id, attempt: 3, failedAt: start, error: "x", nextAttemptAt: start))), dead)
        let late = dead.applying(.sent(.init(entryId: id, attempt: 2, sentAt: start, transport: "smtp", messageId: "m", detail: "250")))
        XCTAssertEqual(late.state, .sent, "a dispatcher whose lease had expired did deliver it: the log says so")
        XCTAssertNil(late.deadReason)
    }

    static func entry(_ id: UUID, queuedAt: Date) -> OutboxEntry {
        OutboxEntry(
            id: id, kind: .verification, customerId: CustomerID(UUID()), reference: "DE--1", recipient: "a@example.com",
            tokenId: UUID(), tokenExpiresAt: queuedAt + 3_600, queuedAt: queuedAt, queuedPosition: 2, state: .pending,
            attempts: 0, lastError: nil, deadReason: nil, sentAt: nil, transport: nil)
    }
}
