import CompactCodec
import Foundation

/// The stored form of the outbox's delivery events, like the customer events' codecs: the envelope carries the
/// type name and schema version, the payload is CompactCodec fields in a fixed order. To change a payload, add a
/// version and keep the old decoder (encoded samples of every version are kept in the tests).
///
/// v1 layouts:
/// - `EmailSent`: entryId uuid · attempt varuint · sentAt date · transport string · messageId string · detail string
/// - `EmailDeliveryFailed`: entryId uuid · attempt varuint · failedAt date · error string · nextAttemptAt date
/// - `EmailDead`: entryId uuid · attempts varuint · at date · reason code byte · message string
/// - `EmailRequeued`: entryId uuid · requeuedAt date · previousAttempts varuint
extension OutboxEvent {
    public static let sentTypeName = "EmailSent"
    public static let deliveryFailedTypeName = "EmailDeliveryFailed"
    public static let deadTypeName = "EmailDead"
    public static let requeuedTypeName = "EmailRequeued"

    public static let typeNames: Set<String> = [sentTypeName, deliveryFailedTypeName, deadTypeName, requeuedTypeName]

    /// `outbox-<entry id, lowercased>`: one short stream per email (no personal data in the name).
    public static let streamPrefix = "outbox-"

    public static func streamName(forEntry entryId: UUID) -> String {
        streamPrefix + entryId.uuidString.lowercased()
    }

    public var typeName: String {
        switch self {
        case .sent: return Self.sentTypeName
        case .deliveryFailed: return Self.deliveryFailedTypeName
        case .dead: return Self.deadTypeName
        case .requeued: return Self.requeuedTypeName
        }
    }

    public var schemaVersion: UInt16 { 1 }

    public func encodePayload() -> [UInt8] {
        var writer = ByteWriter(capacity: 96)
        switch self {
        case .sent(let event):
            writer.writeUUID(event.entryId)
            writer.writeVarUInt(UInt64(max(0, event.attempt)))
            writer.writeDate(event.sentAt)
            writer.writeString(event.transport)
            writer.writeString(event.messageId)
            writer.writeString(event.detail)
        case .deliveryFailed(let event):
            writer.writeUUID(event.entryId)
            writer.writeVarUInt(UInt64(max(0, event.attempt)))
            writer.writeDate(event.failedAt)
            writer.writeString(event.error)
            writer.writeDate(event.nextAttemptAt)
        case .dead(let event):
            writer.writeUUID(event.entryId)
            writer.writeVarUInt(UInt64(max(0, event.attempts)))
            writer.writeDate(event.at)
            writer.writeByte(OutboxWireCodes.code(event.reason))
            writer.writeString(event.message)
        case .requeued(let event):
            writer.writeUUID(event.entryId)
            writer.writeDate(event.requeuedAt)
            writer.writeVarUInt(UInt64(max(0, event.previousAttempts)))
        }
        return writer.bytes
    }

    /// - Throws: `OutboxEventDecodingError` for a type or version this code does not know, `CompactDecodingError`
    ///   for bytes that do not match the layout (including trailing bytes).
    public static func decode(typeName: String, schemaVersion: UInt16, payload: UnsafeRawBufferPointer) throws -> OutboxEvent {
        var reader = ByteReader(payload)
        let event: OutboxEvent
        switch (typeName, schemaVersion) {
        case (sentTypeName, 1):
            event = .sent(EmailSent(
                entryId: try reader.readUUID(), attempt: try reader.readOutboxCount(), sentAt: try reader.readDate(),
                transport: try reader.readString(), messageId: try reader.readString(), detail: try reader.readString()))
        case (deliveryFailedTypeName, 1):
            event = .deliveryFailed(EmailDeliveryFailed(
                entryId: try reader.readUUID(), attempt: try reader.readOutboxCount(), failedAt: try reader.readDate(),
                error: try reader.readString(), nextAttemptAt: try reader.readDate()))
        case (deadTypeName, 1):
            let entryId = try reader.readUUID()
            let attempts = try reader.readOutboxCount()
            let at = try reader.readDate()
            let codeOffset = reader.offset
            let reason = try OutboxWireCodes.reason(try reader.readByte(), offset: codeOffset)
            event = .dead(EmailDead(entryId: entryId, attempts: attempts, at: at, reason: reason, message: try reader.readString()))
        case (requeuedTypeName, 1):
            event = .requeued(EmailRequeued(
                entryId: try reader.readUUID(), requeuedAt: try reader.readDate(), previousAttempts: try reader.readOutboxCount()))
        case _ where typeNames.contains(typeName):
            throw OutboxEventDecodingError(description: "\(typeName) schema version \(schemaVersion) is newer than this customer-es understands")
        default:
            throw OutboxEventDecodingError(description: "\(typeName) is not an outbox event")
        }
        guard reader.isAtEnd else {
            throw CompactDecodingError("\(reader.remainingCount) unexpected trailing byte(s)", offset: reader.offset)
        }
        return event
    }

    public static func decode(typeName: String, schemaVersion: UInt16, bytes: [UInt8]) throws -> OutboxEvent {
        try bytes.withUnsafeBytes { try decode(typeName: typeName, schemaVersion: schemaVersion, payload: $0) }
    }
}

public struct OutboxEventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// The byte each enum value is stored as: written out by hand so that renaming or reordering a case never changes
/// what an old event means. Codes are never reused.
enum OutboxWireCodes {
    static func code(_ reason: EmailDead.Reason) -> UInt8 {
        switch reason {
        case .rejected: return 1
        case .attemptsExhausted: return 2
        case .tokenExpired: return 3
        case .tokenSuperseded: return 4
        case .alreadyVerified: return 5
        case .customerMissing: return 6
        case .cannotRender: return 7
        }
    }

    static func reason(_ code: UInt8, offset: Int) throws -> EmailDead.Reason {
        switch code {
        case 1: return .rejected
        case 2: return .attemptsExhausted
        case 3: return .tokenExpired
        case 4: return .tokenSuperseded
        case 5: return .alreadyVerified
        case 6: return .customerMissing
        case 7: return .cannotRender
        default: throw CompactDecodingError("unknown dead-letter reason code \(code)", offset: offset)
        }
    }

    static func code(_ kind: OutboxEmailKind) -> UInt8 {
        switch kind {
        case .verification: return 1
        case .passwordSet: return 2
        }
    }

    static func kind(_ code: UInt8, offset: Int) throws -> OutboxEmailKind {
        switch code {
        case 1: return .verification
        case 2: return .passwordSet
        default: throw CompactDecodingError("unknown email kind code \(code)", offset: offset)
        }
    }
}

extension ByteReader {
    /// A varuint that must fit an `Int` (attempt counters).
    mutating func readOutboxCount() throws -> Int {
        let offset = self.offset
        let value = try readVarUInt()
        guard value <= UInt64(Int32.max) else { throw CompactDecodingError("count \(value) is out of range", offset: offset) }
        return Int(value)
    }
}
