import CompactCodec
import CustomerAggregate
import Foundation

/// What a successful command did, small enough to store with its request id so that a retry can answer the
/// same thing without doing anything.
public struct CommandOutcome: Sendable, Equatable {
    public var customerId: CustomerID?
    public var reference: String?
    /// The back-office message, e.g. "Customer was created successfully."
    public var message: String
    /// The global position of the last event written (0 when nothing was written).
    public var lastPosition: UInt64
    /// True when this is the stored answer of an earlier identical request.
    public var isReplay: Bool = false
    /// Emails this command put into the outbox: they are queued, not sent, until a dispatcher delivers them.
    public var queuedEmails: Int = 0
    /// The id of the address or note the command added (`A3`, `N2`), so a retry answers it too.
    public var addedId: String?
    /// The customer as a create left it (its decided events folded by `evolve`), so that a front end answering
    /// with the new customer need not read it back; nil for other commands and for a replay (which is not stored
    /// with the request id: a retry reads the customer as it is now).
    public var createdState: CustomerState?

    public init(
        customerId: CustomerID? = nil, reference: String? = nil, message: String, lastPosition: UInt64,
        isReplay: Bool = false, queuedEmails: Int = 0, addedId: String? = nil
    ) {
        self.customerId = customerId
        self.reference = reference
        self.message = message
        self.lastPosition = lastPosition
        self.isReplay = isReplay
        self.queuedEmails = queuedEmails
        self.addedId = addedId
    }

    /// Format 2 adds the number of queued emails, format 3 the added id; older formats read as none. Format 2
    /// is still written when there is no added id, so older builds read what this one records for them.
    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeByte(addedId == nil ? 2 : 3)
        writer.writeOptionalUUID(customerId?.uuid)
        writer.writeOptionalString(reference)
        writer.writeString(message)
        writer.writeVarUInt(lastPosition)
        writer.writeVarUInt(UInt64(queuedEmails))
        if let addedId { writer.writeString(addedId) }
        return writer.bytes
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> CommandOutcome {
        var reader = ByteReader(bytes)
        let format = try reader.readByte()
        guard (1...3).contains(format) else { throw CompactDecodingError("unknown outcome format", offset: 0) }
        let id = try reader.readOptionalUUID()
        var outcome = CommandOutcome(
            customerId: id.map(CustomerID.init), reference: try reader.readOptionalString(),
            message: try reader.readString(), lastPosition: try reader.readVarUInt(), isReplay: true)
        if format >= 2 { outcome.queuedEmails = Int(clamping: try reader.readVarUInt()) }
        if format >= 3 { outcome.addedId = try reader.readString() }
        return outcome
    }
}

extension CustomerEvent {
    /// How many emails the event puts into the outbox.
    var queuedEmailCount: Int {
        switch self {
        case .verificationRequested, .passwordTokenIssued: return 1
        // Set by a link, it queues the "password changed" notice.
        case .passwordSet(let set): return set.source == .passwordLink ? 1 : 0
        // The link to the new address and the notice to the current one.
        case .emailChangeRequested: return 2
        // The notice to the old address.
        case .emailChanged: return 1
        case .created, .emailVerified, .passwordRehashed, .signInSucceeded, .signInFailed, .accountLocked, .edited,
             .emailChangeConfirmed, .address, .note, .forgotten:
            return 0
        }
    }
}
