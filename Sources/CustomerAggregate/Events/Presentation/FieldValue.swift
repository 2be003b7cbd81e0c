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
        var text = ""
        appendJSONLiteral(to: &text)
        return text
    }

    /// `jsonLiteral`, appended to `output` (a document written in one buffer instead of joined pieces).
    public func appendJSONLiteral(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .string(let value): JSONText.appendQuoted(value, to: &output)
        case .integer(let value): output += String(value)
        case .bool(let value): output += value ? "true" : "false"
        case .timestamp(let value): JSONText.appendQuoted(UTCTime.iso8601(value), to: &output)
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
        var text = ""
        appendJSONObject(to: &text)
        return text
    }

    public func appendJSONObject(to output: inout String) {
        JSONText.appendObject(self, to: &output, key: { $0.name }) { field, output in field.value.appendJSONLiteral(to: &output) }
    }
}

/// Minimal JSON string quoting, kept here so that the readable form of an event is complete without a printer.
public enum JSONText {
    public static func quoted(_ text: String) -> String {
        var result = ""
        appendQuoted(text, to: &result)
        return result
    }

    /// `text` as a JSON string literal, appended to `output`. Most text (names, emails, references) needs no
    /// escape at all: one pass over its UTF-8 finds that and appends it whole. A byte that may need one (a quote,
    /// a backslash, a control character, DEL, or 0xE2, which leads U+2028 and U+2029) sends it through the
    /// scalar-by-scalar writer.
    public static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        if text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
            appendEscaped(text, to: &output)
        } else {
            output += text
        }
        output += "\""
    }

    /// `[item,item,…]`, each item written by `write`.
    @inlinable  // specialised where it is called: unspecialised, the generic iteration cost more than the text
    public static func appendArray<Items: Sequence>(_ items: Items, to output: inout String, _ write: (Items.Element, inout String) -> Void) {
        output += "["
        var first = true
        for item in items {
            if !first { output += "," }
            first = false
            write(item, &output)
        }
        output += "]"
    }

    /// `{"key":value,…}` in the members' order, each value written by `write`.
    @inlinable
    public static func appendObject<Members: Sequence>(
        _ members: Members, to output: inout String, key: (Members.Element) -> String, _ write: (Members.Element, inout String) -> Void
    ) {
        output += "{"
        var first = true
        for member in members {
            if !first { output += "," }
            first = false
            appendQuoted(key(member), to: &output)
            output += ":"
            write(member, &output)
        }
        output += "}"
    }

    private static func appendEscaped(_ text: String, to result: inout String) {
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
    }
}
