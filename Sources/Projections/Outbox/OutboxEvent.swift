import Foundation

/// What happened to one queued email, appended to the stream `outbox-<entry id>` by the dispatcher.
///
/// These events live next to the `EmailOutbox` projection (not in the application layer) because the projection
/// consumes them: the outbox's state is a pure function of the customer events that queue emails and of these
/// delivery outcomes, so a rebuild from the log never resends a sent email nor drops a pending one.
public enum OutboxEvent: Sendable, Equatable {
    /// The transport accepted the message (a file was written, or the relay answered 2xx).
    case sent(EmailSent)
    /// A temporary failure; the email is retried at `nextAttemptAt`.
    case deliveryFailed(EmailDeliveryFailed)
    /// The outbox gave up on the email, or decided not to send it (see `EmailDead.Reason`).
    case dead(EmailDead)
    /// An operator put a dead email back in the queue (`outbox retry`); the envelope's actor says who.
    case requeued(EmailRequeued)

    /// The outbox entry (the id of the event that queued the email) this outcome belongs to.
    public var entryId: UUID {
        switch self {
        case .sent(let event): return event.entryId
        case .deliveryFailed(let event): return event.entryId
        case .dead(let event): return event.entryId
        case .requeued(let event): return event.entryId
        }
    }
}

public struct EmailSent: Sendable, Equatable {
    public var entryId: UUID
    /// 1 for the first attempt.
    public var attempt: Int
    public var sentAt: Date
    /// `file` or `smtp`.
    public var transport: String
    /// Without angle brackets, `<entry id>@customer-es`.
    public var messageId: String
    /// The file written, or the relay's final reply.
    public var detail: String

    public init(entryId: UUID, attempt: Int, sentAt: Date, transport: String, messageId: String, detail: String) {
        self.entryId = entryId
        self.attempt = attempt
        self.sentAt = sentAt
        self.transport = transport
        self.messageId = messageId
        self.detail = detail
    }
}

public struct EmailDeliveryFailed: Sendable, Equatable {
    public var entryId: UUID
    /// The attempt that failed, 1-based.
    public var attempt: Int
    public var failedAt: Date
    public var error: String
    public var nextAttemptAt: Date

    public init(entryId: UUID, attempt: Int, failedAt: Date, error: String, nextAttemptAt: Date) {
        self.entryId = entryId
        self.attempt = attempt
        self.failedAt = failedAt
        self.error = error
        self.nextAttemptAt = nextAttemptAt
    }
}

public struct EmailDead: Sendable, Equatable {
    /// Why the email will never be sent. Stored as a hand-written code (see the codec), never reused.
    public enum Reason: String, Sendable, CaseIterable {
        /// The transport refused the message for good (an SMTP 5xx).
        case rejected = "rejected"
        /// Every allowed attempt failed temporarily.
        case attemptsExhausted = "attempts-exhausted"
        /// The token in the link expired before the email could be dispatched.
        case tokenExpired = "token-expired"
        /// A newer email of the same kind replaced this one (its token no longer works).
        case tokenSuperseded = "token-superseded"
        /// A verification email for a customer who is already verified.
        case alreadyVerified = "already-verified"
        /// The customer's stream has no such customer (a damaged log).
        case customerMissing = "customer-missing"
        /// The message cannot be written as RFC 5322 (e.g. a header value with a line break).
        case cannotRender = "cannot-render"
        /// The recipient's local part is not ASCII and the relay does not offer SMTPUTF8 (RFC 6531): this relay can
        /// never deliver it. Not "not sent": requeuing it (`outbox retry`) after switching to a relay with
        /// SMTPUTF8 delivers it.
        case needsSMTPUTF8 = "needs-smtputf8"

        /// True when the email never left: the outbox decided not to send it.
        public var isNotSent: Bool {
            switch self {
            case .tokenExpired, .tokenSuperseded, .alreadyVerified, .customerMissing, .cannotRender: return true
            case .rejected, .attemptsExhausted, .needsSMTPUTF8: return false
            }
        }
    }

    public var entryId: UUID
    /// Delivery attempts made in total (0 when the email was never handed to a transport).
    public var attempts: Int
    public var at: Date
    public var reason: Reason
    /// The last error, or what the reader should do (e.g. "request a new one with …").
    public var message: String

    public init(entryId: UUID, attempts: Int, at: Date, reason: Reason, message: String) {
        self.entryId = entryId
        self.attempts = attempts
        self.at = at
        self.reason = reason
        self.message = message
    }
}

public struct EmailRequeued: Sendable, Equatable {
    public var entryId: UUID
    public var requeuedAt: Date
    /// Attempts made before the email was given up (its counter starts again from 0).
    public var previousAttempts: Int

    public init(entryId: UUID, requeuedAt: Date, previousAttempts: Int) {
        self.entryId = entryId
        self.requeuedAt = requeuedAt
        self.previousAttempts = previousAttempts
    }
}
