import CompactCodec
import Foundation

/// The stored form of customer events: the payload layouts are documented next to each event's `encode(into:)`
/// in `Codec/`; the versioning rule is `EventFamily`'s.
extension CustomerEvent: EventFamily {
    public static let createdTypeName = EventTypeName("CustomerCreated")
    public static let verificationRequestedTypeName = EventTypeName("VerificationRequested")
    public static let passwordTokenIssuedTypeName = EventTypeName("PasswordTokenIssued")
    public static let emailVerifiedTypeName = EventTypeName("EmailVerified")
    public static let editedTypeName = EventTypeName("CustomerEdited")
    public static let passwordSetTypeName = EventTypeName("PasswordSet")
    public static let passwordRehashedTypeName = EventTypeName("PasswordRehashed")
    public static let signInSucceededTypeName = EventTypeName("SignInSucceeded")
    public static let signInFailedTypeName = EventTypeName("SignInFailed")
    public static let accountLockedTypeName = EventTypeName("AccountLocked")
    public static let forgottenTypeName = EventTypeName("CustomerForgotten")
    public static let emailChangeRequestedTypeName = EventTypeName("EmailChangeRequested")
    public static let emailChangeConfirmedTypeName = EventTypeName("EmailChangeConfirmed")
    public static let emailChangedTypeName = EventTypeName("EmailChanged")

    public static let types = [
        createdTypeName, verificationRequestedTypeName, passwordTokenIssuedTypeName, emailVerifiedTypeName,
        passwordSetTypeName, passwordRehashedTypeName, signInSucceededTypeName, signInFailedTypeName, accountLockedTypeName,
        editedTypeName, emailChangeRequestedTypeName, emailChangeConfirmedTypeName, emailChangedTypeName, forgottenTypeName,
    ] + AddressEvent.types + NoteEvent.types

    /// The event types after which the customer has another email address.
    public static let emailSwitchTypes = [emailChangeConfirmedTypeName, emailChangedTypeName]

    /// The event types that ask for an email (each becomes one outbox entry, keyed by the event's id; a
    /// `PasswordSet` only when set with a link: the "password changed" notice).
    /// An `EmailChangeRequested` asks for two: the verification to the new address (keyed by the event's id) and
    /// the notice to the current one (`EmailChangeNotice.entryId(forEvent:)`); an `EmailChanged`, the notice.
    public static let emailRequestTypes = [
        verificationRequestedTypeName, passwordTokenIssuedTypeName, passwordSetTypeName, emailChangeRequestedTypeName,
        emailChangedTypeName,
    ]

    public var type: EventTypeName {
        switch self {
        case .created: return Self.createdTypeName
        case .verificationRequested: return Self.verificationRequestedTypeName
        case .passwordTokenIssued: return Self.passwordTokenIssuedTypeName
        case .emailVerified: return Self.emailVerifiedTypeName
        case .passwordSet: return Self.passwordSetTypeName
        case .passwordRehashed: return Self.passwordRehashedTypeName
        case .signInSucceeded: return Self.signInSucceededTypeName
        case .signInFailed: return Self.signInFailedTypeName
        case .accountLocked: return Self.accountLockedTypeName
        case .edited: return Self.editedTypeName
        case .forgotten: return Self.forgottenTypeName
        case .address(let event): return event.type
        case .note(let event): return event.type
        case .emailChangeRequested: return Self.emailChangeRequestedTypeName
        case .emailChangeConfirmed: return Self.emailChangeConfirmedTypeName
        case .emailChanged: return Self.emailChangedTypeName
        }
    }

    /// The version `encode(into:)` writes, per type.
    public var schemaVersion: UInt16 {
        switch self {
        case .created, .verificationRequested, .passwordTokenIssued, .emailVerified, .passwordSet, .passwordRehashed,
             .signInSucceeded, .signInFailed, .accountLocked, .edited, .address, .note, .emailChangeRequested,
             .emailChangeConfirmed, .emailChanged, .forgotten:
            return 1
        }
    }

    public func encode(into writer: inout ByteWriter) {
        switch self {
        case .created(let event): event.encode(into: &writer)
        case .verificationRequested(let event): event.encode(into: &writer)
        case .passwordTokenIssued(let event): event.encode(into: &writer)
        case .emailVerified(let event): event.encode(into: &writer)
        case .passwordSet(let event): event.encode(into: &writer)
        case .passwordRehashed(let event): event.encode(into: &writer)
        case .signInSucceeded(let event): event.encode(into: &writer)
        case .signInFailed(let event): event.encode(into: &writer)
        case .accountLocked(let event): event.encode(into: &writer)
        case .edited(let event): event.encode(into: &writer)
        case .forgotten(let event): event.encode(into: &writer)
        case .address(let event): event.encode(into: &writer)
        case .note(let event): event.encode(into: &writer)
        case .emailChangeRequested(let event): event.encode(into: &writer)
        case .emailChangeConfirmed(let event): event.encode(into: &writer)
        case .emailChanged(let event): event.encode(into: &writer)
        }
    }

    public static func decodePayload(
        _ type: EventTypeName, schemaVersion: UInt16, from reader: inout ByteReader
    ) throws -> CustomerEvent? {
        switch (type, schemaVersion) {
        case (createdTypeName, 1): return .created(try CustomerCreated.decodeV1(&reader))
        case (verificationRequestedTypeName, 1): return .verificationRequested(try VerificationRequested.decodeV1(&reader))
        case (passwordTokenIssuedTypeName, 1): return .passwordTokenIssued(try PasswordTokenIssued.decodeV1(&reader))
        case (emailVerifiedTypeName, 1): return .emailVerified(try EmailVerified.decodeV1(&reader))
        case (passwordSetTypeName, 1): return .passwordSet(try PasswordSet.decodeV1(&reader))
        case (passwordRehashedTypeName, 1): return .passwordRehashed(try PasswordRehashed.decodeV1(&reader))
        case (signInSucceededTypeName, 1): return .signInSucceeded(try SignInSucceeded.decodeV1(&reader))
        case (signInFailedTypeName, 1): return .signInFailed(try SignInFailed.decodeV1(&reader))
        case (accountLockedTypeName, 1): return .accountLocked(try AccountLocked.decodeV1(&reader))
        case (editedTypeName, 1): return .edited(try CustomerEdited.decodeV1(&reader))
        case (forgottenTypeName, 1): return .forgotten(try CustomerForgotten.decodeV1(&reader))
        case (_, 1) where AddressEvent.types.contains(type): return try AddressEvent.decodeV1(type, from: &reader).map(CustomerEvent.address)
        case (_, 1) where NoteEvent.types.contains(type): return try NoteEvent.decodeV1(type, from: &reader).map(CustomerEvent.note)
        case (emailChangeRequestedTypeName, 1): return .emailChangeRequested(try EmailChangeRequested.decodeV1(&reader))
        case (emailChangeConfirmedTypeName, 1): return .emailChangeConfirmed(try EmailChangeConfirmed.decodeV1(&reader))
        case (emailChangedTypeName, 1): return .emailChanged(try EmailChanged.decodeV1(&reader))
        default: return nil
        }
    }
}
