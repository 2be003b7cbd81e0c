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
        case .string(let value): JSONText.appendQuoted(value, to: &out)
        case .array(let values):
            JSONText.appendArray(values, to: &out) { value, out in value.write(into: &out) }
        case .object(let pairs):
            JSONText.appendObject(pairs, to: &out, key: { $0.0 }) { pair, out in pair.1.write(into: &out) }
        }
    }
}

/// ISO 8601 UTC times, as every JSON output promises: the domain's `UTCTime` spelling (microseconds when there are any,
/// so that a time printed by `show` can be passed back to `--as-of` exactly).
enum ISOTime {
    static func format(_ date: Date) -> String { UTCTime.iso8601(date) }

    /// A time argument in one of the strict forms of `ISO8601Time`, or a usage error naming the option and
    /// the accepted forms.
    static func argument(_ name: String, of invocation: Invocation) throws -> Date? {
        guard let text = invocation.value(name) else { return nil }
        guard let date = ISO8601Time.parse(text) else {
            throw CLIError.usage(
                "--\(name) must be an ISO 8601 time like 2026-11-29T12:00:00Z or a date like 2026-11-29, got \"\(text.escapingControlCharacters)\"; accepted: \(ISO8601Time.acceptedForms)",
                command: invocation.command)
        }
        return date
    }
}
