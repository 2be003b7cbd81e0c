import Foundation

/// The one strict reader of the times a person types (`--as-of`, `--since`, `--until`, and any other front end's
/// time fields). Exactly these forms, nothing before or after them:
///
/// - `YYYY-MM-DD` — midnight UTC of that day;
/// - `YYYY-MM-DDTHH:MM[:SS[.f…]]Z` — seconds optional, 1 to 6 fractional digits (what `UTCTime.iso8601`
///   prints reads back exactly);
/// - the same with `+HH:MM` or `-HH:MM` instead of `Z`.
///
/// Days are real days of years 0001–9999 (`2026-02-30` is refused, not moved to March), hours 00–23, minutes
/// and seconds 00–59. Anything else (`2026-12-01 18:35`, `T25:00`, trailing text, a five-digit year) is nil.
public enum ISO8601Time {
    /// The accepted forms, for an error message.
    public static let acceptedForms = "YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM[:SS[.ffffff]] followed by Z or ±HH:MM"

    public static func parse(_ text: String) -> Date? {
        var reader = Reader(Array(text.utf8))
        guard let year = reader.digits(4), reader.take("-"), let month = reader.digits(2), reader.take("-"),
              let dayOfMonth = reader.digits(2), let day = CalendarDate(year: year, month: month, day: dayOfMonth)
        else { return nil }
        let midnight = Int64(day.daysSinceEpoch) * 86_400
        if reader.atEnd { return Date(timeIntervalSince1970: TimeInterval(midnight)) }

        guard reader.take("T"), let hour = reader.digits(2), hour < 24, reader.take(":"),
              let minute = reader.digits(2), minute < 60 else { return nil }
        var second = 0
        var micros = 0
        if reader.take(":") {
            guard let value = reader.digits(2), value < 60 else { return nil }
            second = value
            if reader.take(".") {
                let fraction = reader.digitRun(upTo: 6)
                guard !fraction.isEmpty, !reader.nextIsDigit else { return nil }
                micros = Int(fraction + String(repeating: "0", count: 6 - fraction.count)) ?? 0
            }
        }
        var offset = 0
        if !reader.take("Z") {
            let sign: Int
            if reader.take("+") { sign = 1 } else if reader.take("-") { sign = -1 } else { return nil }
            guard let hours = reader.digits(2), hours < 24, reader.take(":"), let minutes = reader.digits(2), minutes < 60
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard reader.atEnd else { return nil }
        let seconds = midnight + Int64(hour * 3600 + minute * 60 + second - offset)
        return Date(timeIntervalSince1970: TimeInterval(seconds * 1_000_000 + Int64(micros)) / 1_000_000)
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }
        var nextIsDigit: Bool { index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// Exactly `count` ASCII digits.
        mutating func digits(_ count: Int) -> Int? {
            let run = digitRun(upTo: count)
            return run.count == count ? Int(run) : nil
        }

        mutating func digitRun(upTo limit: Int) -> String {
            var run = ""
            while run.count < limit && nextIsDigit {
                run.unicodeScalars.append(Unicode.Scalar(bytes[index]))
                index += 1
            }
            return run
        }
    }
}
