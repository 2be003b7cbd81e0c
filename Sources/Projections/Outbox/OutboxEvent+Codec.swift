import CompactCodec
import CustomerAggregate
import Foundation

/// The stored form of the outbox's delivery events, an `EventFamily` like the customer events.
///
/// v1 layouts:
/// - `EmailSent`: entryId uuid · attempt varuint · sentAt date · transport string · messageId string · detail string
/// - `EmailDeliveryFailed`: entryId uuid · attempt varuint · failedAt date · error string · nextAttemptAt date
/// - `EmailDead`: entryId uuid · attempts varuint · at date · reason code byte · message string
/// - `EmailRequeued`: entryId uuid · requeuedAt date · previousAttempts varuint
extension OutboxEvent: EventFamily {
    /// Delivery outcomes name the entry, never the recipient; a relay's reply text is kept as the relay sent it
    /// (the entry's recipient is dropped by `forget`, see `EmailOutbox`).
    public var withoutPersonalData: OutboxEvent? { nil }

    public static let sentTypeName = EventTypeName("EmailSent")
    public static let deliveryFailedTypeName = EventTypeName("EmailDeliveryFailed")
    public static let deadTypeName = EventTypeName("EmailDead")
    public static let requeuedTypeName = EventTypeName("EmailRequeued")

    public static let types = [sentTypeName, deliveryFailedTypeName, deadTypeName, requeuedTypeName]

    /// `outbox-<entry id, lowercased>`: one short stream per email (no personal data in the name).
    public static let streamPrefix = "outbox-"

    public static func streamName(forEntry entryId: UUID) -> String {
        streamPrefix + entryId.uuidString.lowercased()
    }

    public var type: EventTypeName {
        switch self {
        case .sent: return Self.sentTypeName
        case .deliveryFailed: return Self.deliveryFailedTypeName
        case .dead: return Self.deadTypeName
        case .requeued: return Self.requeuedTypeName
        }
    }

    public var schemaVersion: UInt16 { 1 }

    public func encode(into writer: inout ByteWriter) {
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
    }

    public static func decodePayload(
        _ type: EventTypeName, schemaVersion: UInt16, from reader: inout ByteReader
    ) throws -> OutboxEvent? {
        switch (type, schemaVersion) {
        case (sentTypeName, 1):
            return .sent(EmailSent(
                entryId: try reader.readUUID(), attempt: try reader.readOutboxCount(), sentAt: try reader.readDate(),
                transport: try reader.readString(), messageId: try reader.readString(), detail: try reader.readString()))
        case (deliveryFailedTypeName, 1):
            return .deliveryFailed(EmailDeliveryFailed(
                entryId: try reader.readUUID(), attempt: try reader.readOutboxCount(), failedAt: try reader.readDate(),
                error: try reader.readString(), nextAttemptAt: try reader.readDate()))
        case (deadTypeName, 1):
            let entryId = try reader.readUUID()
            let attempts = try reader.readOutboxCount()
            let at = try reader.readDate()
            let codeOffset = reader.offset
            let reason = try OutboxWireCodes.reason(try reader.readByte(), offset: codeOffset)
            return .dead(EmailDead(entryId: entryId, attempts: attempts, at: at, reason: reason, message: try reader.readString()))
        case (requeuedTypeName, 1):
            return .requeued(EmailRequeued(
                entryId: try reader.readUUID(), requeuedAt: try reader.readDate(), previousAttempts: try reader.readOutboxCount()))
        default:
            return nil
        }
    }
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
        case .needsSMTPUTF8: return 8
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
        case 8: return .needsSMTPUTF8
        default: throw CompactDecodingError("unknown dead-letter reason code \(code)", offset: offset)
        }
    }

    static func code(_ kind: OutboxEmailKind) -> UInt8 {
        switch kind {
        case .verification: return 1
        case .passwordSet: return 2
        case .passwordChanged: return 3
        case .emailChange: return 4
        case .emailChangeNotice: return 5
        }
    }

    static func kind(_ code: UInt8, offset: Int) throws -> OutboxEmailKind {
        switch code {
        case 1: return .verification
        case 2: return .passwordSet
        case 3: return .passwordChanged
        case 4: return .emailChange
        case 5: return .emailChangeNotice
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
