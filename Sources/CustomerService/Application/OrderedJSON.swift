import CustomerAggregate
import Foundation

/// A JSON document with ordered object keys, its values written with the event fields' own JSON literals, so
/// that every front end prints a value the same way as `events --json` and a document is stable and diffable.
/// The admin API writes its answers with it, and `show --json` the customer document it shares with the API.
public indirect enum OrderedJSON: Sendable {
    case value(FieldValue)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    public static func string(_ text: String?) -> OrderedJSON { .value(.text(text)) }
    public static func date(_ date: Date?) -> OrderedJSON { .value(date.map(FieldValue.timestamp) ?? .null) }
    public static func integer(_ value: Int) -> OrderedJSON { .value(.integer(Int64(value))) }
    public static func bool(_ value: Bool) -> OrderedJSON { .value(.bool(value)) }

    /// Shown values (a customer, an address, a note) as one object: their JSON names in their order.
    public static func shown(_ values: [CustomerFieldValue]) -> OrderedJSON { .object(members(values)) }

    /// The members of `shown(values)`, for a document that goes on after them.
    public static func members(_ values: [CustomerFieldValue]) -> [(String, OrderedJSON)] {
        values.map { ($0.name, .value($0.value)) }
    }

    public var text: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// The document appended to one buffer (a page of the list is a few hundred values: joining a string per
    /// value and per pair cost more than the page's read).
    public func write(to output: inout String) {
        switch self {
        case .value(let value):
            value.appendJSONLiteral(to: &output)
        case .array(let items):
            JSONText.appendArray(items, to: &output) { item, output in item.write(to: &output) }
        case .object(let pairs):
            JSONText.appendObject(pairs, to: &output, key: { $0.0 }) { pair, output in pair.1.write(to: &output) }
        }
    }
}

extension CustomerView {
    /// The customer as `show --json` and the admin API's `GET /api/customers/{customer}` write it: the Customer
    /// object, then `asOf` (null for now), `pendingEmails` (the emails whose link still works: kind, recipient,
    /// outbox id, expiry and delivery state, never the link), `outbox` (every email the outbox holds for the
    /// customer, newest first: id, kind, recipient, queued time, delivery state, attempts, whether its link
    /// still works and until when; empty for a past instant), `addresses` (the live ones, as `address list
    /// --json`) and `notes` (the live ones, as `note list --json`). Nil when the customer did not exist.
    public var shownJSON: OrderedJSON? {
        guard let state else { return nil }
        var pairs = OrderedJSON.members(state.shownValues)
        pairs.append(("asOf", .date(asOf)))
        pairs.append(("pendingEmails", .array(pendingEmails.map { email in
            .object([
                ("kind", .string(email.kind)), ("to", .string(email.recipient)), ("id", .string(email.outboxId?.uuidString.lowercased())),
                ("expiresAt", .date(email.expiresAt)), ("delivery", .string(email.delivery)),
            ])
        })))
        pairs.append(("outbox", .array(emails.map { email in
            .object([
                ("id", .string(email.entry.id.uuidString.lowercased())), ("kind", .string(email.entry.kind.rawValue)),
                ("to", .string(email.entry.recipient)), ("queuedAt", .date(email.entry.queuedAt)),
                ("delivery", .string(email.entry.state.name)), ("attempts", .integer(email.entry.attempts)),
                ("linkState", .string(email.link.name)), ("linkExpiresAt", .date(email.link.expiresAt)),
            ])
        })))
        pairs.append(("addresses", .array(state.addressBook.shownAddresses.map(OrderedJSON.shown))))
        pairs.append(("notes", .array(state.liveNotes.map { OrderedJSON.shown($0.shownValues) })))
        return .object(pairs)
    }
}
