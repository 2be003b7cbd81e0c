import CustomerAggregate
import Foundation

/// When a temporarily failed email is tried again, from the store settings `delivery-backoff` (the first delay,
/// doubled after each further failure up to a cap) and `delivery-max-attempts` (the failure that makes it dead).
/// With the defaults (30s,1h and 31): 30 s, 1 min, 2 min, … 32 min, then hourly; the 31st attempt comes about 24 h
/// after the first, so an outage of a few hours never kills the queue.
public struct OutboxRetryPolicy: Sendable, Equatable {
    public var backoff: DeliveryBackoff
    public var maximumAttempts: Int

    public init(backoff: DeliveryBackoff, maximumAttempts: Int) {
        self.backoff = backoff
        self.maximumAttempts = maximumAttempts
    }

    public init(_ settings: StoreSettings) {
        self.init(backoff: settings.deliveryBackoff, maximumAttempts: settings.deliveryMaxAttempts)
    }

    /// The delay after failed attempt `attempt` (1-based).
    public func delay(afterFailedAttempt attempt: Int) -> TimeInterval {
        backoff.delay(afterFailedAttempt: attempt)
    }

    /// When to try again after failed attempt `attempt`, or nil when that was the last one allowed.
    public func nextAttempt(afterFailedAttempt attempt: Int, at now: Date) -> Date? {
        guard attempt < maximumAttempts else { return nil }
        return now.addingTimeInterval(delay(afterFailedAttempt: attempt))
    }
}
