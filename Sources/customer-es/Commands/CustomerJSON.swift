import CustomerAggregate
import CustomerService
import Foundation

/// The "Customer" JSON object and its text rendering, both from the customer's one field description
/// (`CustomerShape`): the same keys, order and values for `show`, `list --json` and `history`.
enum CustomerJSON {
    static func object(_ state: CustomerState) -> JSONValue { object(state.shownValues) }

    static func object(_ row: CustomerRow) -> JSONValue { object(row.listedValues) }

    static func lines(_ state: CustomerState) -> [(String, String)] {
        state.shownValues.map { ($0.label, $0.text) }
    }

    static func object(_ values: [CustomerFieldValue]) -> JSONValue {
        .object(values.map { ($0.name, JSONValue(field: $0.value)) })
    }
}
