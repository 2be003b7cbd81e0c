import CustomerAggregate
import Foundation

/// A JSON value with ordered object keys, so that output is stable and diffable.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func date(_ value: Date?) -> JSONValue { value.map { .string(ISOTime.format($0)) } ?? .null }

    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += value.isFinite ? "\(value)" : "null"
        case .integer(let value): out += "\(value)"
        case .string(let value): out += JSONText.quoted(value)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(into: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out += "," }
                out += JSONText.quoted(key)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }
}

/// ISO 8601 UTC times, as CONTRACT §4 asks: the domain's `UTCTime` spelling (microseconds when there are any,
/// so that a time printed by `show` can be passed back to `--as-of` exactly).
enum ISOTime {
    static func format(_ date: Date) -> String { UTCTime.iso8601(date) }

    /// Accepts `2026-11-29T12:00:00Z`, with up to 6 fractional digits, with an offset instead of `Z`, and a bare
    /// `2026-11-29` (midnight UTC).
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Double("0." + digits) else { return nil }
            fraction = value
            base = String(text[..<dot]) + text[text.index(after: dot)...].dropFirst(digits.count)
        }
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withFullDate]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: base) {
                return UTCTime.roundedToMicroseconds(date.addingTimeInterval(fraction))
            }
        }
        return nil
    }
}
