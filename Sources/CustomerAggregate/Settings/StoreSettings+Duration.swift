import Foundation

extension StoreSettings {
    /// Token lifetimes beyond ten years are certainly a typo (and would overflow later date arithmetic).
    public static let maximumDurationDays = 3650

    /// Parses `<n><unit>` with unit `s`, `m`, `h` or `d` (any case), n ≥ 1: `90s`, `15m`, `2h`, `7d`.
    /// Whole numbers only, so that every value has one canonical spelling (see `formatDuration`).
    public static func parseDuration(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmed().lowercased()
        guard let unit = trimmed.last else { return nil }
        let number = String(trimmed.dropLast())
        let unitSeconds: Int
        switch unit {
        case "s": unitSeconds = 1
        case "m": unitSeconds = 60
        case "h": unitSeconds = 3_600
        case "d": unitSeconds = 86_400
        default: return nil
        }
        guard number.isASCIIDigits, number.count <= 9, let count = Int(number), count >= 1 else { return nil }
        let seconds = count * unitSeconds
        guard seconds <= maximumDurationDays * 86_400 else { return nil }
        return TimeInterval(seconds)
    }

    /// The largest unit that divides the duration: 604800 → `7d`, 7200 → `2h`, 90 → `90s`.
    /// Fractions of a second are rounded; they cannot come from `parseDuration`.
    public static func formatDuration(_ interval: TimeInterval) -> String {
        let seconds = interval.isFinite ? Int(interval.rounded().clamped(to: -1e15...1e15)) : 0
        if seconds != 0, seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds != 0, seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds != 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
