import CompactCodec
import Foundation

/// Who caused an event and in which command, recorded with every event.
public struct EventMetadata: Sendable, Equatable {
    /// The person or system that issued the command (`--actor`, default: the OS user).
    public var actor: String
    /// Shared by all events of one command, so that `history` and `audit` can group them.
    public var correlationID: UUID?
    /// The event or command that caused this one, when known.
    public var causationID: UUID?
    /// The operating-system account that ran the command, whatever `actor` claims (nil in events written before
    /// it was recorded).
    public var osUser: String?

    public init(actor: String, correlationID: UUID? = nil, causationID: UUID? = nil, osUser: String? = nil) {
        self.actor = actor
        self.correlationID = correlationID
        self.causationID = causationID
        self.osUser = osUser
    }
}

/// How an event that carries personal data is kept apart from the log (the store's "vault" feature, which knows
/// nothing of customers).
///
/// The log's envelope holds `publicPayload` (the same event with its personal fields blanked) and `commitment`;
/// the `vault` table holds `salt ‖ payload` (the whole payload) under the event's position, written in the same
/// transaction. Readers get the whole payload while the vault entry exists and the public one once it has been
/// erased (`StoreWriter.erasePersonalData(of:)`), so the log itself is never rewritten. The producer computes
/// `commitment` = SHA-256(salt ‖ payload) with a fresh random salt: the log stays verifiable against the vault
/// while the entry exists, and once the salt is gone the commitment tells nothing about the values.
public struct PersonalSeal: Sendable, Equatable {
    public var publicPayload: [UInt8]
    public var salt: [UInt8]
    public var commitment: [UInt8]

    public init(publicPayload: [UInt8], salt: [UInt8], commitment: [UInt8]) {
        self.publicPayload = publicPayload
        self.salt = salt
        self.commitment = commitment
    }
}

/// An event to append. The payload is already encoded by the producer (off the writer's critical path) and is
/// opaque to the store.
public struct EventData: Sendable, Equatable {
    public var eventID: UUID
    public var type: String
    public var schemaVersion: UInt16
    public var metadata: EventMetadata
    /// The whole payload (what readers and projections get while the personal data exists).
    public var payload: [UInt8]
    /// Set when the payload carries personal data: then the log stores only the seal's public payload.
    public var personal: PersonalSeal?

    public init(
        eventID: UUID = RandomUUID.next(), type: String, schemaVersion: UInt16 = 1, metadata: EventMetadata, payload: [UInt8],
        personal: PersonalSeal? = nil
    ) {
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.metadata = metadata
        self.payload = payload
        self.personal = personal
    }
}

/// Whether an event's personal data can be read.
public enum PersonalDataState: Sendable, Equatable {
    /// The event never carried any (its payload is all in the log).
    case none
    /// In the vault: the payload is the whole one.
    case present
    /// Erased from the vault: the payload is the public one (personal fields blanked).
    case erased
}

/// An event as stored: the producer's data plus what the store assigned inside the commit.
public struct RecordedEvent: Sendable, Equatable {
    /// Gapless, strictly increasing across all streams, starting at 1.
    public let position: UInt64
    public let stream: StreamName
    /// Contiguous within the stream, starting at 1.
    public let version: UInt64
    public let eventID: UUID
    public let type: String
    public let schemaVersion: UInt16
    public let recordedAt: Date
    public let metadata: EventMetadata
    /// The whole payload, or the public one when `personalData` is `.erased`.
    public let payload: [UInt8]
    public var personalData: PersonalDataState = .none
    /// SHA-256(salt ‖ whole payload) of a sealed event, as the log holds it.
    public var commitment: [UInt8]? = nil

    func joined(vaultEntry: [UInt8]?) -> RecordedEvent {
        guard commitment != nil else { return self }
        var result = RecordedEvent(
            position: position, stream: stream, version: version, eventID: eventID, type: type,
            schemaVersion: schemaVersion, recordedAt: recordedAt, metadata: metadata,
            payload: vaultEntry.map { Array($0.dropFirst(EventVault.saltByteCount)) } ?? payload)
        result.personalData = vaultEntry == nil ? .erased : .present
        result.commitment = commitment
        return result
    }
}

/// What an append did.
public struct AppendResult: Sendable, Equatable {
    public let stream: StreamName
    public let firstVersion: UInt64
    public let lastVersion: UInt64
    public let firstPosition: UInt64
    public let lastPosition: UInt64
    /// True when these exact events were already in the stream at this place (a retried append): nothing was written.
    public let wasAlreadyAppended: Bool
}
