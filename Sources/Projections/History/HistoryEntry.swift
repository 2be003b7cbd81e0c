import CustomerAggregate
import Foundation

/// One event of a customer's history, in the back office's words.
public struct HistoryEntry: Sendable, Equatable {
    public var position: UInt64
    public var stream: String
    public var version: UInt64
    public var recordedAt: Date
    public var type: String
    public var actor: String
    /// The OS account that ran the command (nil for events recorded before it was kept).
    public var osUser: String?
    /// One line: what happened ("Email verified", "Customer DE--3 created (Unverified): …").
    public var summary: String
    /// What the event changed on the customer, field by field (empty when it changed nothing visible).
    public var changes: [FieldChange]
    /// The event's readable data (`events --json`/`history --json` `data`).
    public var data: [EventField]

    public init(
        position: UInt64, stream: String, version: UInt64, recordedAt: Date, type: String, actor: String,
        summary: String, changes: [FieldChange], data: [EventField], osUser: String? = nil
    ) {
        self.osUser = osUser
        self.position = position
        self.stream = stream
        self.version = version
        self.recordedAt = recordedAt
        self.type = type
        self.actor = actor
        self.summary = summary
        self.changes = changes
        self.data = data
    }
}

/// A field of the customer before and after an event (nil = absent), as text.
public struct FieldChange: Sendable, Equatable {
    public var field: String
    public var from: String?
    public var to: String?

    public init(field: String, from: String?, to: String?) {
        self.field = field
        self.from = from
        self.to = to
    }
}
