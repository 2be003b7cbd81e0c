import Foundation

/// Exponential backoff between delivery attempts: failed attempt n is retried `base · 2^(n−1)` later (capped),
/// and after `maximumAttempts` failed attempts the email is dead. With the defaults: 30 s, 1 min, 2 min, 4 min,
/// then dead at the 5th failure.
public struct OutboxRetryPolicy: Sendable, Equatable {
    public var baseDelay: TimeInterval
    public var maximumDelay: TimeInterval
    public var maximumAttempts: Int

    public init(baseDelay: TimeInterval = 30, maximumDelay: TimeInterval = 3_600, maximumAttempts: Int = 5) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumAttempts = maximumAttempts
    }

    /// The delay after failed attempt `attempt` (1-based).
    public func delay(afterFailedAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(min(max(attempt - 1, 0), 62))
        return min(maximumDelay, baseDelay * pow(2, exponent))
    }

    /// When to try again after failed attempt `attempt`, or nil when that was the last one allowed.
    public func nextAttempt(afterFailedAttempt attempt: Int, at now: Date) -> Date? {
        guard attempt < maximumAttempts else { return nil }
        return now.addingTimeInterval(delay(afterFailedAttempt: attempt))
    }
}
