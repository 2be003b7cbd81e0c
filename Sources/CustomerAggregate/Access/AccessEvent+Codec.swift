import CompactCodec
import Foundation

/// The stored and readable forms of the access stream's events.
///
/// v1 payloads (CompactCodec): every event starts with the operator's or key's name (string), then
/// - `OperatorAdded`, `ApiKeyCreated`: role byte (admin 1, agent 2, viewer 3) · time
/// - `OperatorDisabled`, `OperatorPasswordReset`, `OperatorSignedIn`, `ApiKeyRevoked`: time
/// - `OperatorSignInFailed`: time · consecutive failures (varuint)
/// - `OperatorLockedOut`: locked-until time · lock number (varuint)
extension AccessEvent: EventFamily {
    public static let operatorAddedType = EventTypeName("OperatorAdded")
    public static let operatorDisabledType = EventTypeName("OperatorDisabled")
    public static let operatorPasswordResetType = EventTypeName("OperatorPasswordReset")
    public static let operatorSignedInType = EventTypeName("OperatorSignedIn")
    public static let operatorSignInFailedType = EventTypeName("OperatorSignInFailed")
    public static let operatorLockedOutType = EventTypeName("OperatorLockedOut")
    public static let apiKeyCreatedType = EventTypeName("ApiKeyCreated")
    public static let apiKeyRevokedType = EventTypeName("ApiKeyRevoked")

    public static let types = [
        operatorAddedType, operatorDisabledType, operatorPasswordResetType, operatorSignedInType,
        operatorSignInFailedType, operatorLockedOutType, apiKeyCreatedType, apiKeyRevokedType,
    ]

    public var type: EventTypeName {
        switch self {
        case .operatorAdded: Self.operatorAddedType
        case .operatorDisabled: Self.operatorDisabledType
        case .operatorPasswordReset: Self.operatorPasswordResetType
        case .operatorSignedIn: Self.operatorSignedInType
        case .operatorSignInFailed: Self.operatorSignInFailedType
        case .operatorLockedOut: Self.operatorLockedOutType
        case .apiKeyCreated: Self.apiKeyCreatedType
        case .apiKeyRevoked: Self.apiKeyRevokedType
        }
    }

    public var schemaVersion: UInt16 { 1 }

    /// None: the stream holds staff accounts (an operator's or key's chosen account name, a role, times), never a
    /// customer's data, and `forget` erases customers. An operator's name is their actor name in every event
    /// they wrote, which the audit trail must keep.
    public var withoutPersonalData: AccessEvent? { nil }

    /// The operator or key the event is about.
    public var name: String {
        switch self {
        case .operatorAdded(let event): event.name
        case .operatorDisabled(let event): event.name
        case .operatorPasswordReset(let event): event.name
        case .operatorSignedIn(let event): event.name
        case .operatorSignInFailed(let event): event.name
        case .operatorLockedOut(let event): event.name
        case .apiKeyCreated(let event): event.name
        case .apiKeyRevoked(let event): event.name
        }
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeString(name)
        switch self {
        case .operatorAdded(let event):
            writer.writeByte(Self.code(event.role))
            writer.writeDate(event.addedAt)
        case .apiKeyCreated(let event):
            writer.writeByte(Self.code(event.role))
            writer.writeDate(event.createdAt)
        case .operatorDisabled(let event): writer.writeDate(event.disabledAt)
        case .operatorPasswordReset(let event): writer.writeDate(event.resetAt)
        case .operatorSignedIn(let event): writer.writeDate(event.signedInAt)
        case .apiKeyRevoked(let event): writer.writeDate(event.revokedAt)
        case .operatorSignInFailed(let event):
            writer.writeDate(event.failedAt)
            writer.writeVarUInt(UInt64(event.consecutiveFailures))
        case .operatorLockedOut(let event):
            writer.writeDate(event.lockedUntil)
            writer.writeVarUInt(UInt64(event.lockNumber))
        }
    }

    public static func decodePayload(_ type: EventTypeName, schemaVersion: UInt16, from reader: inout ByteReader) throws -> AccessEvent? {
        guard schemaVersion == 1 else { return nil }
        let name = try reader.readString()
        switch type {
        case operatorAddedType:
            let role = try readRole(&reader)
            return .operatorAdded(OperatorAdded(name: name, role: role, addedAt: try reader.readDate()))
        case apiKeyCreatedType:
            let role = try readRole(&reader)
            return .apiKeyCreated(ApiKeyCreated(name: name, role: role, createdAt: try reader.readDate()))
        case operatorDisabledType: return .operatorDisabled(OperatorDisabled(name: name, disabledAt: try reader.readDate()))
        case operatorPasswordResetType: return .operatorPasswordReset(OperatorPasswordReset(name: name, resetAt: try reader.readDate()))
        case operatorSignedInType: return .operatorSignedIn(OperatorSignedIn(name: name, signedInAt: try reader.readDate()))
        case apiKeyRevokedType: return .apiKeyRevoked(ApiKeyRevoked(name: name, revokedAt: try reader.readDate()))
        case operatorSignInFailedType:
            let at = try reader.readDate()
            return .operatorSignInFailed(OperatorSignInFailed(name: name, failedAt: at, consecutiveFailures: Int(clamping: try reader.readVarUInt())))
        case operatorLockedOutType:
            let until = try reader.readDate()
            return .operatorLockedOut(OperatorLockedOut(name: name, lockedUntil: until, lockNumber: Int(clamping: try reader.readVarUInt())))
        default:
            return nil
        }
    }

    /// The byte a role is stored as (also in the service's tables).
    public static func code(_ role: AccessRole) -> UInt8 {
        switch role {
        case .admin: 1
        case .agent: 2
        case .viewer: 3
        }
    }

    /// Nil for a code no version ever wrote.
    public static func role(code: UInt8) -> AccessRole? {
        switch code {
        case 1: .admin
        case 2: .agent
        case 3: .viewer
        default: nil
        }
    }

    private static func readRole(_ reader: inout ByteReader) throws -> AccessRole {
        let offset = reader.offset
        let code = try reader.readByte()
        guard let role = role(code: code) else { throw CompactDecodingError("unknown role code \(code)", offset: offset) }
        return role
    }

    public var summary: String {
        switch self {
        case .operatorAdded(let event): "Operator \(event.name) added as \(event.role.rawValue)"
        case .operatorDisabled(let event): "Operator \(event.name) disabled"
        case .operatorPasswordReset(let event): "Password of operator \(event.name) reset"
        case .operatorSignedIn(let event): "Operator \(event.name) signed in"
        case .operatorSignInFailed(let event): "Operator \(event.name) sign-in failed (\(event.consecutiveFailures) in a row)"
        case .operatorLockedOut(let event): "Operator \(event.name) locked out until \(UTCTime.iso8601(event.lockedUntil))"
        case .apiKeyCreated(let event): "API key \(event.name) created as \(event.role.rawValue)"
        case .apiKeyRevoked(let event): "API key \(event.name) revoked"
        }
    }

    public var fields: [EventField] {
        var fields = [EventField("name", .string(name))]
        switch self {
        case .operatorAdded(let event):
            fields += [EventField("role", .string(event.role.rawValue)), EventField("addedAt", .timestamp(event.addedAt))]
        case .apiKeyCreated(let event):
            fields += [EventField("role", .string(event.role.rawValue)), EventField("createdAt", .timestamp(event.createdAt))]
        case .operatorDisabled(let event): fields.append(EventField("disabledAt", .timestamp(event.disabledAt)))
        case .operatorPasswordReset(let event): fields.append(EventField("resetAt", .timestamp(event.resetAt)))
        case .operatorSignedIn(let event): fields.append(EventField("signedInAt", .timestamp(event.signedInAt)))
        case .apiKeyRevoked(let event): fields.append(EventField("revokedAt", .timestamp(event.revokedAt)))
        case .operatorSignInFailed(let event):
            fields += [EventField("failedAt", .timestamp(event.failedAt)), EventField("consecutiveFailures", .integer(Int64(event.consecutiveFailures)))]
        case .operatorLockedOut(let event):
            fields += [EventField("lockedUntil", .timestamp(event.lockedUntil)), EventField("lockNumber", .integer(Int64(event.lockNumber)))]
        }
        return fields
    }
}
