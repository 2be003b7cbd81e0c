import CustomerAggregate
import EventStore
import Foundation

/// One event of the global log as `events` presents it: where it sits, who recorded it, and its payload in words
/// and named fields (an event type this version does not know is shown as such, never skipped).
public struct LoggedEvent: Sendable, Equatable {
    public let position: UInt64
    public let stream: String
    public let version: UInt64
    public let type: String
    public let recordedAt: Date
    public let actor: String
    /// The OS account that ran the command (nil for events recorded before it was kept).
    public let osUser: String?
    public let summary: String
    public let data: [EventField]

    init(_ event: RecordedEvent) {
        let described = EventCatalog.describe(event)
        position = event.position
        stream = event.stream.rawValue
        version = event.version
        type = event.type
        recordedAt = event.recordedAt
        actor = event.metadata.actor
        osUser = event.metadata.osUser
        summary = described.summary
        data = described.fields
    }
}
