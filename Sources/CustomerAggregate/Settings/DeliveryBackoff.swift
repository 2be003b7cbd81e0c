import Foundation

/// The retry schedule of the outbox: `first` after the first failed attempt, doubled after each further one up to
/// `maximum`. Written `FIRST,MAX` (`30s,1h`) in the `delivery-backoff` setting.
public struct DeliveryBackoff: Sendable, Equatable, CustomStringConvertible {
    public var first: TimeInterval
    public var maximum: TimeInterval

    public init(first: TimeInterval, maximum: TimeInterval) {
        self.first = first
        self.maximum = maximum
    }

    /// `FIRST,MAX`, two durations (`StoreSettings.parseDuration`) with FIRST ≤ MAX ≤ 1 d; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = StoreSettings.parseDuration(String(parts[0])),
              let maximum = StoreSettings.parseDuration(String(parts[1])), first <= maximum, maximum <= 86_400
        else { return nil }
        self.init(first: first, maximum: maximum)
    }

    /// The canonical `FIRST,MAX` text.
    public var description: String {
        StoreSettings.formatDuration(first) + "," + StoreSettings.formatDuration(maximum)
    }

    /// The delay after failed attempt `attempt` (1-based).
    public func delay(afterFailedAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(min(max(attempt - 1, 0), 62))
        return min(maximum, first * pow(2, exponent))
    }
}

extension StoreSettings {
    /// A thousand attempts at a 1 d backoff span almost three years: anything above is a typo.
    public static let maximumDeliveryAttempts = 1_000

    /// The `helo-name` value that means "this machine's fully qualified name", looked up at dispatch.
    public static let automaticHeloName = "auto"

    /// More than a hundred guesses before a lock-out makes the lock-out pointless.
    public static let maximumSignInFailures = 100
}
