import CompactCodec
import Foundation

/// The stored form of customer events.
///
/// The envelope (written by the caller) carries `typeName` and `schemaVersion`; the payload is CompactCodec
/// fields in the fixed order documented next to each event's `encode(into:)` in `Codec/`. To change a payload, add a new version: keep the
/// old decoder (old events are never rewritten), bump `schemaVersion`, and commit a new encoded sample in the
/// tests next to the old one.
extension CustomerEvent {
    public static let createdTypeName = "CustomerCreated"
    public static let verificationRequestedTypeName = "VerificationRequested"
    public static let passwordTokenIssuedTypeName = "PasswordTokenIssued"
    public static let emailVerifiedTypeName = "EmailVerified"

    /// Every type name this module writes, so that a caller reading a mixed log can tell customer events apart.
    public static let typeNames: Set<String> = [
        createdTypeName, verificationRequestedTypeName, passwordTokenIssuedTypeName, emailVerifiedTypeName,
    ]

    /// The event types that ask for an email (each becomes one outbox entry, keyed by the event's id).
    public static let emailRequestTypeNames: Set<String> = [verificationRequestedTypeName, passwordTokenIssuedTypeName]

    public var typeName: String {
        switch self {
        case .created: return Self.createdTypeName
        case .verificationRequested: return Self.verificationRequestedTypeName
        case .passwordTokenIssued: return Self.passwordTokenIssuedTypeName
        case .emailVerified: return Self.emailVerifiedTypeName
        }
    }

    /// The version `encodePayload()` writes, per type.
    public var schemaVersion: UInt16 {
        switch self {
        case .created, .verificationRequested, .passwordTokenIssued, .emailVerified: return 1
        }
    }

    public func encodePayload() -> [UInt8] {
        var writer = ByteWriter(capacity: 160)
        switch self {
        case .created(let event): event.encode(into: &writer)
        case .verificationRequested(let event): event.encode(into: &writer)
        case .passwordTokenIssued(let event): event.encode(into: &writer)
        case .emailVerified(let event): event.encode(into: &writer)
        }
        return writer.bytes
    }

    /// - Throws: `EventDecodingError` for a type or version this code does not know, `CompactDecodingError` for
    ///   bytes that do not match the type's layout (including trailing bytes).
    public static func decode(
        typeName: String, schemaVersion: UInt16, payload: UnsafeRawBufferPointer
    ) throws -> CustomerEvent {
        var reader = ByteReader(payload)
        let event: CustomerEvent
        switch (typeName, schemaVersion) {
        case (createdTypeName, 1): event = .created(try CustomerCreated.decodeV1(&reader))
        case (verificationRequestedTypeName, 1): event = .verificationRequested(try VerificationRequested.decodeV1(&reader))
        case (passwordTokenIssuedTypeName, 1): event = .passwordTokenIssued(try PasswordTokenIssued.decodeV1(&reader))
        case (emailVerifiedTypeName, 1): event = .emailVerified(try EmailVerified.decodeV1(&reader))
        case _ where typeNames.contains(typeName): throw EventDecodingError.unsupportedVersion(typeName, schemaVersion)
        default: throw EventDecodingError.unknownType(typeName, schemaVersion)
        }
        try reader.expectEnd()
        return event
    }

    /// Convenience over `decode(typeName:schemaVersion:payload:)` for bytes held in an array.
    public static func decode(typeName: String, schemaVersion: UInt16, bytes: [UInt8]) throws -> CustomerEvent {
        try bytes.withUnsafeBytes { try decode(typeName: typeName, schemaVersion: schemaVersion, payload: $0) }
    }
}
