import Foundation

/// The readable form of customer events: camelCase keys in a fixed order, `null` for absent values, times as
/// ISO 8601 UTC. This is what `events --json` / `history --json` print as `data`, so the keys are an interface.
extension CustomerEvent {
    public var fields: [EventField] {
        switch self {
        case .created(let event):
            return [
                EventField("customerId", .string(event.customerId.description)),
                EventField("reference", .string(event.reference.description)),
            ] + CustomerField.profileFields.map { EventField($0.jsonName, $0.value(in: event.profile)) } + [
                EventField("status", .string(CustomerStatus.unverified.rawValue)),
                EventField("createdAt", .timestamp(event.createdAt)),
                EventField("origin", .string(event.origin.rawValue)),
            ]
        case .verificationRequested(let event):
            return [
                EventField("tokenId", .string(event.tokenId.uuidString.lowercased())),
                EventField("expiresAt", .timestamp(event.expiresAt)),
                EventField("reason", .string(event.reason.rawValue)),
            ]
        case .passwordTokenIssued(let event):
            return [
                EventField("tokenId", .string(event.tokenId.uuidString.lowercased())),
                EventField("expiresAt", .timestamp(event.expiresAt)),
            ]
        case .emailVerified(let event):
            return [
                EventField("verifiedAt", .timestamp(event.verifiedAt)),
                EventField("tokenId", .text(event.tokenId?.uuidString.lowercased())),
            ]
        case .edited(let event):
            // Exactly the changed fields, each under its profile key, with the new value (null: cleared).
            return event.changes.map { change in
                EventField(change.field.jsonName, change.value)
            }
        }
    }
}
