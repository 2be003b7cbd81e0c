import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The admin API's JSON: the CLI's `--json` shapes (the customer object from `CustomerShape`, the event and
/// audit objects, `{"error": {"code", "message", "problems"}}`), written with the event fields' own JSON
/// literals so that values print the same way as in `events --json`.
indirect enum APIJSON: Sendable {
    case value(FieldValue)
    case array([APIJSON])
    case object([(String, APIJSON)])

    static func string(_ text: String?) -> APIJSON { .value(.text(text)) }
    static func date(_ date: Date?) -> APIJSON { .value(date.map(FieldValue.timestamp) ?? .null) }
    static func integer(_ value: Int) -> APIJSON { .value(.integer(Int64(value))) }
    static func bool(_ value: Bool) -> APIJSON { .value(.bool(value)) }

    var text: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// The document appended to one buffer (a page of the list is a few hundred values: joining a string per
    /// value and per pair cost more than the page's read).
    func write(to output: inout String) {
        switch self {
        case .value(let value):
            value.appendJSONLiteral(to: &output)
        case .array(let items):
            JSONText.appendArray(items, to: &output) { item, output in item.write(to: &output) }
        case .object(let pairs):
            JSONText.appendObject(pairs, to: &output, key: { $0.0 }) { pair, output in pair.1.write(to: &output) }
        }
    }

    func response(_ status: HTTPStatus = .ok) -> HTTPResponse { .json(text, status: status) }

    static func customer(_ values: [CustomerFieldValue]) -> APIJSON {
        .object(values.map { ($0.name, .value($0.value)) })
    }

    static func fields(_ fields: [EventField]) -> APIJSON { .object(fields.map { ($0.name, .value($0.value)) }) }

    static func error(code: String, message: String, problems: [Problem] = []) -> APIJSON {
        .object([("error", .object([
            ("code", .string(code)), ("message", .string(message)),
            ("problems", .array(problems.map { .object([("field", .string($0.field)), ("message", .string($0.message))]) })),
        ]))])
    }

    static func event(_ event: LoggedEvent) -> APIJSON {
        .object([
            ("position", .integer(Int(event.position))), ("stream", .string(event.stream)), ("version", .integer(Int(event.version))),
            ("type", .string(event.type)), ("recordedAt", .date(event.recordedAt)), ("actor", .string(event.actor)),
            ("osUser", .string(event.osUser)), ("data", fields(event.data)),
        ])
    }
}
