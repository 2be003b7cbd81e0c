import Foundation

/// One value of an event's readable form (`events --json`, `history`): few enough kinds that any printer can
/// render them the same way every time.
public enum FieldValue: Sendable, Equatable {
    case null
    case string(String)
    case integer(Int64)
    case bool(Bool)
    /// Rendered as ISO 8601 UTC (`UTCTime.iso8601`).
    case timestamp(Date)

    /// A `String?` becomes `.string` or `.null`.
    public static func text(_ value: String?) -> FieldValue {
        value.map(FieldValue.string) ?? .null
    }

    /// The value as a JSON literal: strings escaped per RFC 8259 (quotes, backslashes and control characters),
    /// timestamps as ISO 8601 strings.
    public var jsonLiteral: String {
        switch self {
        case .null: return "null"
        case .string(let value): return JSONText.quoted(value)
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .timestamp(let value): return JSONText.quoted(UTCTime.iso8601(value))
        }
    }

    /// The value for a table cell or a `key=value` line: `-` for null, timestamps in ISO 8601.
    public var plainText: String {
        switch self {
        case .null: return "-"
        case .string(let value): return value
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .timestamp(let value): return UTCTime.iso8601(value)
        }
    }
}

/// A named value; an event's fields are an ordered array of these so that output has a stable key order.
public struct EventField: Sendable, Equatable {
    public let name: String
    public let value: FieldValue

    public init(_ name: String, _ value: FieldValue) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == EventField {
    /// `{"name":value,…}` in field order, without white space: the `data` of `events --json`.
    public var jsonObjectText: String {
        "{" + map { JSONText.quoted($0.name) + ":" + $0.value.jsonLiteral }.joined(separator: ",") + "}"
    }
}

/// Minimal JSON string quoting, kept here so that the readable form of an event is complete without a printer.
public enum JSONText {
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
