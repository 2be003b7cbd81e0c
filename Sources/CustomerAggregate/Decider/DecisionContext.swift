import Foundation

/// What a decision may depend on besides the command and the customer's state: the time and the store settings.
/// Passed in, never read from the system, so that every rule can be tested at any instant.
public struct DecisionContext: Sendable {
    public var now: Date
    public var settings: StoreSettings

    public init(now: Date, settings: StoreSettings = .defaults) {
        self.now = now
        self.settings = settings
    }

    /// `now` as the event codec will store it (whole microseconds), so that decided events equal replayed ones.
    var stamp: Date { UTCTime.roundedToMicroseconds(now) }

    /// The UTC day of `now`: the "today" of date-of-birth and registration checks.
    var today: CalendarDate { CalendarDate(utcDayOf: now) }

    /// `now + interval`, as stored.
    func instant(after interval: TimeInterval) -> Date {
        UTCTime.roundedToMicroseconds(stamp.addingTimeInterval(interval))
    }
}
