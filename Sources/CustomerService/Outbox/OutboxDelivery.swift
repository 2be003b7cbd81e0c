import Foundation
import Projections

/// What the dispatcher did with one email (reported as it happens, recorded as an `OutboxEvent`).
public struct OutboxDelivery: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case sent(transport: String, detail: String)
        /// A temporary failure; retried at `nextAttemptAt`.
        case failed(error: String, nextAttemptAt: Date)
        /// Given up (`rejected`, `attemptsExhausted`) or not sent on purpose (`EmailDead.Reason.isNotSent`).
        case dead(reason: EmailDead.Reason, message: String)
    }

    /// The entry as it was claimed (before this outcome).
    public let entry: OutboxEntry
    /// The address the email went (or would have gone) to: the customer's current email.
    public let recipient: String
    /// Attempts made so far, this one included (an email not sent on purpose was not attempted).
    public let attempts: Int
    public let at: Date
    public let outcome: Outcome

    public var messageId: String { entry.messageId }

    /// The event that records this outcome.
    public var event: OutboxEvent {
        switch outcome {
        case .sent(let transport, let detail):
            return .sent(EmailSent(entryId: entry.id, attempt: attempts, sentAt: at, transport: transport, messageId: entry.messageId, detail: detail))
        case .failed(let error, let nextAttemptAt):
            return .deliveryFailed(EmailDeliveryFailed(entryId: entry.id, attempt: attempts, failedAt: at, error: error, nextAttemptAt: nextAttemptAt))
        case .dead(let reason, let message):
            return .dead(EmailDead(entryId: entry.id, attempts: attempts, at: at, reason: reason, message: message))
        }
    }
}

/// The totals of one `dispatch` run, and what is left in the outbox afterwards.
public struct OutboxDispatchSummary: Sendable, Equatable {
    public var sent = 0
    public var failed = 0
    /// Dead letters, including the emails not sent on purpose (`notSent`).
    public var dead = 0
    public var notSent = 0
    /// Pending and failed entries still waiting after the run, and when the earliest is due.
    public var waiting = 0
    public var nextDueAt: Date?
    /// True when the run ended because it was asked to stop (Ctrl-C, SIGTERM) rather than because nothing was due.
    public var interrupted = false
    /// The last transport outage that stopped a batch (a full disk, a relay refusing our sender or HELO name): the
    /// emails stay due and no attempt was counted for them. `outages` counts them.
    public var outage: String?
    public var outages = 0
    /// Batches cut short because another dispatcher had taken over an email whose lease expired.
    public var handedOver = 0

    public init() {}

    public var processed: Int { sent + failed + dead }

    mutating func count(_ delivery: OutboxDelivery) {
        switch delivery.outcome {
        case .sent: sent += 1
        case .failed: failed += 1
        case .dead(let reason, _):
            dead += 1
            if reason.isNotSent { notSent += 1 }
        }
    }
}
