import Foundation

/// A day without a time or a time zone (a date of birth, a registration day), in the proleptic Gregorian calendar.
///
/// It is its own type rather than a `Date` because a birthday must not move when it is shown in another time
/// zone. Conversions to and from instants are always in UTC, and the arithmetic is done here (no `Calendar`),
/// so that results do not depend on the machine's settings.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// `nil` unless the triple is a real day in years 1–9999 (the range `YYYY-MM-DD` can spell).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, zero-padded), surrounding whitespace ignored.
    public static func parse(_ text: String) -> CalendarDate? {
        let parts = text.trimmed().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ String($0).isASCIIDigits }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

// MARK: - Days since the Unix epoch (H. Hinnant's civil-from-days algorithms)

extension CalendarDate {
    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil fields of a day count; used only for counts derived from real dates, so the year stays in range.
    static func civilFields(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The UTC day of an instant, clamped to the representable years 1–9999.
    public init(utcDayOf instant: Date) {
        let seconds = instant.timeIntervalSince1970
        let days = seconds.isFinite ? Int((seconds / 86_400).rounded(.down).clamped(to: -719_162...2_932_896)) : 0
        self.init(daysSinceEpoch: days)
    }

    /// The day `days` after 1970-01-01, clamped to the representable years 1–9999.
    public init(daysSinceEpoch days: Int) {
        let fields = Self.civilFields(daysSinceEpoch: days.clamped(to: -719_162...2_932_896))
        self.year = fields.year
        self.month = fields.month
        self.day = fields.day
    }

    /// 00:00:00 UTC of this day: how an imported registration day becomes an instant.
    public var midnightUTC: Date {
        Date(timeIntervalSince1970: TimeInterval(daysSinceEpoch) * 86_400)
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
