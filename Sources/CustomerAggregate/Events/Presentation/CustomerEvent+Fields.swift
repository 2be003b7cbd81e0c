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
        case .passwordSet(let event):
            return [
                EventField("setAt", .timestamp(event.setAt)),
                EventField("source", .string(event.source.rawValue)),
                EventField("tokenId", .text(event.tokenId?.uuidString.lowercased())),
                EventField("algorithm", .string(event.algorithm)),
            ]
        case .passwordRehashed(let event):
            return [
                EventField("rehashedAt", .timestamp(event.rehashedAt)),
                EventField("fromAlgorithm", .string(event.fromAlgorithm)),
                EventField("toAlgorithm", .string(event.toAlgorithm)),
            ]
        case .signInSucceeded(let event):
            return [EventField("signedInAt", .timestamp(event.signedInAt))]
        case .signInFailed(let event):
            return [
                EventField("failedAt", .timestamp(event.failedAt)),
                EventField("reason", .string(event.reason.rawValue)),
                EventField("consecutiveFailures", .integer(Int64(event.consecutiveFailures))),
            ]
        case .accountLocked(let event):
            return [
                EventField("lockedAt", .timestamp(event.lockedAt)),
                EventField("lockedUntil", .timestamp(event.lockedUntil)),
                EventField("lockNumber", .integer(Int64(event.lockNumber))),
            ]
        case .forgotten(let event):
            return [
                EventField("forgottenAt", .timestamp(event.forgottenAt)),
                EventField("reason", .string(event.reason)),
            ]
        case .edited(let event):
            // Exactly the changed fields, each under its profile key, with the new value (null: cleared).
            return event.changes.map { change in
                EventField(change.field.jsonName, change.value)
            }
        case .address(let event):
            return event.fields
        case .note(let event):
            return event.fields
        case .emailChangeRequested(let event):
            return [
                EventField("email", .string(event.email)),
                EventField("tokenId", .string(event.tokenId.uuidString.lowercased())),
                EventField("expiresAt", .timestamp(event.expiresAt)),
            ]
        case .emailChangeConfirmed(let event):
            return [
                EventField("previousEmail", .string(event.previousEmail)),
                EventField("email", .string(event.email)),
                EventField("tokenId", .string(event.tokenId.uuidString.lowercased())),
                EventField("confirmedAt", .timestamp(event.confirmedAt)),
            ]
        case .emailChanged(let event):
            return [
                EventField("previousEmail", .string(event.previousEmail)),
                EventField("email", .string(event.email)),
                EventField("reason", .string(event.reason)),
            ]
        }
    }
}
