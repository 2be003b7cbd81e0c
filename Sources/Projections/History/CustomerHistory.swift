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
            // An erased event reads blank, and the erasure itself turns blanks into nothing: their personal
            // fields' changes would only show empty values.
            let hidesPersonal = erased || event.typeIs(CustomerEvent.forgottenTypeName)
            let changes = CustomerStateDiff.changes(from: state, to: next).filter {
                !hidesPersonal || !CustomerStateDiff.isPersonal($0.field)
            }
            entries.append(HistoryEntry(
                position: event.position, stream: event.stream.rawValue, version: event.version,
                recordedAt: event.recordedAt, type: event.type, actor: event.metadata.actor,
                summary: erased ? decoded.erasedSummary : decoded.summary(after: state),
                changes: changes, data: decoded.fields + (erased ? [EventField("personalData", .string("erased"))] : []),
                osUser: event.metadata.osUser))
            state = next
            if CustomerEvent.emailRequestTypes.contains(where: event.typeIs) {
                let isChangeRequest = event.typeIs(CustomerEvent.emailChangeRequestedTypeName)
                for entryId in EmailOutbox.entryIds(ofRequest: event.eventID, isEmailChangeRequest: isChangeRequest) {
                    entries += try deliveries(ofEntry: entryId, in: reader)
                }
            }
        }
        return entries.sorted { $0.position < $1.position }
    }

    private static func deliveries(ofEntry entryId: UUID, in reader: StoreReader) throws -> [HistoryEntry] {
        guard let stream = try? StreamName(OutboxEvent.streamName(forEntry: entryId)) else { return [] }
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
    /// What an erased event's changes may not show (they would only show blank values): the personal profile
    /// fields, addresses and notes.
    static func isPersonal(_ field: String) -> Bool {
        personalNames.contains(field) || field == "pendingEmail" || field.hasPrefix("addresses.") || field.hasPrefix("notes.")
    }

    static let personalNames = Set(CustomerField.profileFields.filter(\.isPersonal).map(\.jsonName))

    /// The customer's shown fields, then the expiry of its tokens (which `show` reports with its emails), then
    /// each address's fields as `addresses.A1.city` and each note's as `notes.N1.message` (a default flag only
    /// while it is set, so that moving a default shows on both addresses).
    static func fields(of state: CustomerState) -> [(String, String?)] {
        let addresses = state.addressBook.shownAddresses.flatMap { values in
            let prefix = "addresses.\(values[0].text)."
            return values.dropFirst().map { (prefix + $0.name, $0.value == .bool(false) ? nil : $0.optionalText) }
        }
        let notes = state.notes.flatMap { note in
            note.shownValues.dropFirst().map { ("notes.\(note.id).\($0.name)", $0.optionalText) }
        }
        return state.shownValues.map { ($0.name, $0.optionalText) } + [
            ("verificationTokenExpiresAt", state.verificationToken.map { UTCTime.iso8601($0.expiresAt) }),
            ("passwordTokenExpiresAt", state.passwordToken.map { UTCTime.iso8601($0.expiresAt) }),
        ] + addresses + notes
    }

    /// The fields whose value differs, in the order of `after` then those only `before` had (a removed address).
    static func changes(from before: CustomerState, to after: CustomerState) -> [FieldChange] {
        let old = fields(of: before), new = fields(of: after)
        let oldValues = Dictionary(old, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.map(\.0))
        let changed = new.compactMap { name, value -> FieldChange? in
            let previous = oldValues[name] ?? nil
            return previous == value ? nil : FieldChange(field: name, from: previous, to: value)
        }
        let gone = old.compactMap { name, value in
            newNames.contains(name) || value == nil ? nil : FieldChange(field: name, from: value, to: nil)
        }
        return changed + gone
    }
}
