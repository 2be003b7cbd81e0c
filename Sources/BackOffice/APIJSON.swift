import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The admin API's JSON: the application layer's ordered document, in the CLI's `--json` shapes (the customer
/// object from `CustomerShape`, `show --json`'s document from `CustomerView.shownJSON`, the event and audit
/// objects, `{"error": {"code", "message", "problems"}}`).
typealias APIJSON = OrderedJSON

extension OrderedJSON {
    func response(_ status: HTTPStatus = .ok) -> HTTPResponse { .json(text, status: status) }

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
