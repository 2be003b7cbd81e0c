import CompactCodec
import CustomerAggregate
import Foundation

/// The emails customer-es sends. Mirrors `Mail.EmailKind` (Projections does not depend on Mail).
public enum OutboxEmailKind: String, Sendable, CaseIterable {
    case verification = "verification"
    case passwordSet = "password-set"
    /// The notice after a password was set with a link (no link of its own; `tokenId` is the link's token id).
    case passwordChanged = "password-changed"
    /// The link to the new address of a pending email change (`tokenId` is the change's token id).
    case emailChange = "email-change"
    /// The notice to the current address that its change was asked for or made (no link of its own).
    case emailChangeNotice = "email-change-notice"
}

/// One email asked for by one event (`VerificationRequested` or `PasswordTokenIssued`), and where its delivery
/// stands. The id is the requesting event's id, so it is fixed by the log and the same after a rebuild.
public struct OutboxEntry: Sendable, Equatable {
    public enum State: Sendable, Hashable {
        /// Queued (or requeued by an operator), not attempted since.
        case pending
        /// Handed over to a transport (at least once).
        case sent
        /// The last attempt failed temporarily; due again at `nextAttemptAt`.
        case failed(nextAttemptAt: Date)
        /// Given up, or not sent on purpose; `lastError` says why.
        case dead

        /// `pending`, `sent`, `failed`, `dead` (what `outbox list --status` filters on).
        public var name: String {
            switch self {
            case .pending: return "pending"
            case .sent: return "sent"
            case .failed: return "failed"
            case .dead: return "dead"
            }
        }

        public var isFinal: Bool { self == .sent || self == .dead }
    }

    public var id: UUID
    public var kind: OutboxEmailKind
    public var customerId: CustomerID
    /// The customer's reference and email as they were when the email was queued (the dispatcher renders from the
    /// customer's current state).
    public var reference: String
    public var recipient: String
    public var tokenId: UUID
    public var tokenExpiresAt: Date
    /// When and where in the log the requesting event was recorded.
    public var queuedAt: Date
    public var queuedPosition: UInt64
    public var state: State
    public var attempts: Int
    public var lastError: String?
    public var deadReason: EmailDead.Reason?
    public var sentAt: Date?
    public var transport: String?

    public init(
        id: UUID, kind: OutboxEmailKind, customerId: CustomerID, reference: String, recipient: String, tokenId: UUID,
        tokenExpiresAt: Date, queuedAt: Date, queuedPosition: UInt64, state: State = .pending, attempts: Int = 0,
        lastError: String? = nil, deadReason: EmailDead.Reason? = nil, sentAt: Date? = nil, transport: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.customerId = customerId
        self.reference = reference
        self.recipient = recipient
        self.tokenId = tokenId
        self.tokenExpiresAt = tokenExpiresAt
        self.queuedAt = queuedAt
        self.queuedPosition = queuedPosition
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.deadReason = deadReason
        self.sentAt = sentAt
        self.transport = transport
    }

    /// Stable per entry, so a redelivery after a crash carries the same Message-ID (receivers can de-duplicate).
    public var messageId: String { Self.messageId(for: id) }

    public static func messageId(for entryId: UUID) -> String {
        entryId.uuidString.lowercased() + "@customer-es"
    }

    /// When the dispatcher should (next) try this email; nil once it is sent or dead.
    public var dueAt: Date? {
        switch state {
        case .pending: return queuedAt
        case .failed(let next): return next
        case .sent, .dead: return nil
        }
    }

    /// The error to show with the entry: the last one while the email is not sent; nil once it is, as an earlier
    /// failure no longer describes it (the log keeps every outcome).
    public var currentError: String? { state == .sent ? nil : lastError }

    public var nextAttemptAt: Date? {
        if case .failed(let next) = state { return next }
        return nil
    }

    /// The entry after one delivery outcome. Total and order-dependent only through the log: a sent email stays
    /// sent whatever comes after (an email that went out is out), a dead one only becomes sent (a dispatcher whose
    /// lease had expired may still have delivered it) or pending again (an operator requeued it, and its attempts
    /// start again from 0).
    public func applying(_ event: OutboxEvent) -> OutboxEntry {
        var next = self
        switch event {
        case .sent(let sent):
            next.state = .sent
            next.attempts = max(attempts, sent.attempt)
            next.sentAt = sent.sentAt
            next.transport = sent.transport
            next.deadReason = nil
        case .deliveryFailed(let failed):
            guard !state.isFinal else { return self }
            next.state = .failed(nextAttemptAt: failed.nextAttemptAt)
            next.attempts = max(attempts, failed.attempt)
            next.lastError = failed.error
        case .dead(let dead):
            guard state != .sent else { return self }
            next.state = .dead
            next.attempts = max(attempts, dead.attempts)
            next.lastError = dead.message
            next.deadReason = dead.reason
        case .requeued:
            guard state == .dead else { return self }
            next.state = .pending
            next.attempts = 0
            next.deadReason = nil
        }
        return next
    }
}

// MARK: Stored form (projection state: a format change means a rebuild, not a migration)

extension OutboxEntry {
    /// 2: the entry id is the record's key only. 1 (older stores) also repeated it first in the value; both are
    /// read, and `rebuild --verify` compares entries by what they decode to (`EmailOutbox.compareContent`), so an
    /// older store's entries are not differences. A rebuild writes them in format 2.
    static let recordFormat: UInt8 = 2
    static let formatWithRepeatedId: UInt8 = 1

    /// The value under the key `id.bytes`: format · kind code · customer id · reference · recipient · token id ·
    /// token expiry · queued at · queued position · state code [+ next attempt] · attempts · last error? · dead
    /// reason code (0 none) · sent at? · transport?
    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 160)
        writer.writeByte(Self.recordFormat)
        writer.writeByte(OutboxWireCodes.code(kind))
        writer.writeUUID(customerId.uuid)
        writer.writeString(reference)
        writer.writeString(recipient)
        writer.writeUUID(tokenId)
        writer.writeDate(tokenExpiresAt)
        writer.writeDate(queuedAt)
        writer.writeVarUInt(queuedPosition)
        switch state {
        case .pending: writer.writeByte(1)
        case .sent: writer.writeByte(2)
        case .failed(let next):
            writer.writeByte(3)
            writer.writeDate(next)
        case .dead: writer.writeByte(4)
        }
        writer.writeVarUInt(UInt64(max(0, attempts)))
        writer.writeOptionalString(lastError)
        writer.writeByte(deadReason.map(OutboxWireCodes.code) ?? 0)
        writer.writeOptionalDate(sentAt)
        writer.writeOptionalString(transport)
        return writer.bytes
    }

    /// The entry stored under `key` (its id).
    static func decode(key: UnsafeRawBufferPointer, _ bytes: UnsafeRawBufferPointer) throws -> OutboxEntry {
        var reader = ByteReader(bytes)
        let format = try reader.readByte()
        let id: UUID
        switch format {
        case recordFormat:
            guard let keyed = UUID(bytes: Array(key)) else {
                throw CompactDecodingError("an outbox entry's key has \(key.count) bytes, not 16: rebuild the projections", offset: 0)
            }
            id = keyed
        case formatWithRepeatedId:
            id = try reader.readUUID()
        default:
            throw CompactDecodingError("unknown outbox entry format \(format): rebuild the projections", offset: 0)
        }
        let kindOffset = reader.offset
        let kind = try OutboxWireCodes.kind(try reader.readByte(), offset: kindOffset)
        let customerId = CustomerID(try reader.readUUID())
        let reference = try reader.readString()
        let recipient = try reader.readString()
        let tokenId = try reader.readUUID()
        let tokenExpiresAt = try reader.readDate()
        let queuedAt = try reader.readDate()
        let queuedPosition = try reader.readVarUInt()
        let stateOffset = reader.offset
        let state: State
        switch try reader.readByte() {
        case 1: state = .pending
        case 2: state = .sent
        case 3: state = .failed(nextAttemptAt: try reader.readDate())
        case 4: state = .dead
        case let code: throw CompactDecodingError("unknown outbox state code \(code)", offset: stateOffset)
        }
        let attempts = try reader.readOutboxCount()
        let lastError = try reader.readOptionalString()
        let reasonOffset = reader.offset
        let reasonCode = try reader.readByte()
        let deadReason = reasonCode == 0 ? nil : try OutboxWireCodes.reason(reasonCode, offset: reasonOffset)
        let sentAt = try reader.readOptionalDate()
        let transport = try reader.readOptionalString()
        return OutboxEntry(
            id: id, kind: kind, customerId: customerId, reference: reference, recipient: recipient, tokenId: tokenId,
            tokenExpiresAt: tokenExpiresAt, queuedAt: queuedAt, queuedPosition: queuedPosition, state: state,
            attempts: attempts, lastError: lastError, deadReason: deadReason, sentAt: sentAt, transport: transport)
    }
}
