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

    public static let types = [createdTypeName, verificationRequestedTypeName, passwordTokenIssuedTypeName, emailVerifiedTypeName, editedTypeName]

    /// The event types that ask for an email (each becomes one outbox entry, keyed by the event's id).
    public static let emailRequestTypes = [verificationRequestedTypeName, passwordTokenIssuedTypeName]

    public var type: EventTypeName {
        switch self {
        case .created: return Self.createdTypeName
        case .verificationRequested: return Self.verificationRequestedTypeName
        case .passwordTokenIssued: return Self.passwordTokenIssuedTypeName
        case .emailVerified: return Self.emailVerifiedTypeName
        case .edited: return Self.editedTypeName
        }
    }

    /// The version `encode(into:)` writes, per type.
    public var schemaVersion: UInt16 {
        switch self {
        case .created, .verificationRequested, .passwordTokenIssued, .emailVerified, .edited: return 1
        }
    }

    public func encode(into writer: inout ByteWriter) {
        switch self {
        case .created(let event): event.encode(into: &writer)
        case .verificationRequested(let event): event.encode(into: &writer)
        case .passwordTokenIssued(let event): event.encode(into: &writer)
        case .emailVerified(let event): event.encode(into: &writer)
        case .edited(let event): event.encode(into: &writer)
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
        case (editedTypeName, 1): return .edited(try CustomerEdited.decodeV1(&reader))
        default: return nil
        }
    }
}
