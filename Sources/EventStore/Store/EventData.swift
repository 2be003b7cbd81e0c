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

/// An event to append. The payload is already encoded by the producer (off the writer's critical path) and is
/// opaque to the store.
public struct EventData: Sendable, Equatable {
    public var eventID: UUID
    public var type: String
    public var schemaVersion: UInt16
    public var metadata: EventMetadata
    public var payload: [UInt8]

    public init(eventID: UUID = UUID(), type: String, schemaVersion: UInt16 = 1, metadata: EventMetadata, payload: [UInt8]) {
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.metadata = metadata
        self.payload = payload
    }
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
    public let payload: [UInt8]
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
