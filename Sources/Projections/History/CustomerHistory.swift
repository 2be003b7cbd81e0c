import CustomerAggregate
import EventStore
import Foundation

/// `customer-es history CUSTOMER`: every event of the customer's stream, oldest first, with what it changed —
/// and the delivery events of its emails.
///
/// Reads the customer's own stream, plus, for each event that asked for an email, that email's outbox stream
/// (`outbox-<id of the asking event>`): O(events of the customer), no scan of the log.
public enum CustomerHistory {
    public static func entries(of id: CustomerID, in reader: StoreReader) throws -> [HistoryEntry] {
        guard let stream = try? StreamName(id.streamName) else { return [] }
        var state = CustomerDecider.initialState
        var entries: [HistoryEntry] = []
        for event in try reader.readStream(stream) {
            let decoded = try CustomerEvent.decode(event)
            let next = CustomerDecider.evolve(state, decoded)
            let erased = event.personalData == .erased
            // An erased event reads blank: its personal fields' changes would only show empty values.
            let changes = CustomerStateDiff.changes(from: state, to: next).filter {
                !erased || !CustomerStateDiff.personalNames.contains($0.field)
            }
            entries.append(HistoryEntry(
                position: event.position, stream: event.stream.rawValue, version: event.version,
                recordedAt: event.recordedAt, type: event.type, actor: event.metadata.actor,
                summary: erased ? decoded.erasedSummary : decoded.summary,
                changes: changes, data: decoded.fields + (erased ? [EventField("personalData", .string("erased"))] : []),
                osUser: event.metadata.osUser))
            state = next
            if CustomerEvent.emailRequestTypes.contains(where: event.typeIs) {
                entries += try deliveries(ofEmailAskedBy: event, in: reader)
            }
        }
        return entries.sorted { $0.position < $1.position }
    }

    private static func deliveries(ofEmailAskedBy event: RecordedEvent, in reader: StoreReader) throws -> [HistoryEntry] {
        guard let stream = try? StreamName(OutboxEvent.streamName(forEntry: event.eventID)) else { return [] }
        return try reader.readStream(stream).map { delivery in
            let decoded = try OutboxEvent.decode(delivery)
            return HistoryEntry(
                position: delivery.position, stream: delivery.stream.rawValue, version: delivery.version,
                recordedAt: delivery.recordedAt, type: delivery.type, actor: delivery.metadata.actor,
                summary: decoded.summary, changes: [], data: decoded.fields, osUser: delivery.metadata.osUser)
        }
    }
}

/// The visible fields of a customer state as text, and the difference between two states.
enum CustomerStateDiff {
    static let personalNames = Set(CustomerField.profileFields.filter(\.isPersonal).map(\.jsonName))

    /// The customer's shown fields, then the expiry of its tokens (which `show` reports with its emails).
    static func fields(of state: CustomerState) -> [(String, String?)] {
        state.shownValues.map { ($0.name, $0.optionalText) } + [
            ("verificationTokenExpiresAt", state.verificationToken.map { UTCTime.iso8601($0.expiresAt) }),
            ("passwordTokenExpiresAt", state.passwordToken.map { UTCTime.iso8601($0.expiresAt) }),
        ]
    }

    static func changes(from before: CustomerState, to after: CustomerState) -> [FieldChange] {
        zip(fields(of: before), fields(of: after)).compactMap { old, new in
            old.1 == new.1 ? nil : FieldChange(field: old.0, from: old.1, to: new.1)
        }
    }
}
