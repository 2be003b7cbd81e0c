import Foundation

/// Renders instants in UTC without `DateFormatter`, so output is identical on every machine and in every locale,
/// and so the decider can put times into messages without touching a shared formatter.
public enum UTCTime {
    /// ISO 8601 UTC, as the JSON output shows times: `2026-12-06T12:00:00Z`, with `.SSS` or `.SSSSSS` only when
    /// the instant has a fraction of a second (events store microseconds).
    public static func iso8601(_ instant: Date) -> String {
        let parts = Parts(instant)
        var text = "\(parts.date)T\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))"
        if parts.microsecond != 0 {
            text += parts.microsecond % 1000 == 0
                ? "." + pad(parts.microsecond / 1000, width: 3)
                : "." + pad(parts.microsecond, width: 6)
        }
        return text + "Z"
    }

    /// Minute precision for people: `2026-12-06 12:00 UTC`.
    public static func readable(_ instant: Date) -> String {
        let parts = Parts(instant)
        return "\(parts.date) \(pad(parts.hour)):\(pad(parts.minute)) UTC"
    }

    /// The instant as the event codec stores it (whole microseconds). The decider stamps events with rounded
    /// times so that an event it returns is equal to the same event read back from the log.
    public static func roundedToMicroseconds(_ instant: Date) -> Date {
        let micros = (instant.timeIntervalSince1970 * 1_000_000).rounded()
        return Date(timeIntervalSince1970: micros / 1_000_000)
    }

    private struct Parts {
        let date: CalendarDate
        let hour: Int
        let minute: Int
        let second: Int
        let microsecond: Int

        init(_ instant: Date) {
            let seconds = instant.timeIntervalSince1970
            // Years 0001...9999, the span `CalendarDate` can spell.
            let clamped = seconds.isFinite ? seconds.clamped(to: -62_135_596_800...253_402_300_799) : 0
            let micros = Int64((clamped * 1_000_000).rounded())
            let microsPerDay: Int64 = 86_400_000_000
            let days = micros >= 0 ? micros / microsPerDay : (micros - microsPerDay + 1) / microsPerDay
            let microsOfDay = Int(micros - days * microsPerDay)
            date = CalendarDate(daysSinceEpoch: Int(days))
            hour = microsOfDay / 3_600_000_000
            minute = microsOfDay / 60_000_000 % 60
            second = microsOfDay / 1_000_000 % 60
            microsecond = microsOfDay % 1_000_000
        }
    }

    private static func pad(_ value: Int, width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
