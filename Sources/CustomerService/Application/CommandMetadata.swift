import Foundation

/// Who issues a command and how to recognise a retry of it; recorded in every event's metadata.
public struct CommandMetadata: Sendable {
    public var actor: String
    /// A caller-chosen id (`--request-id`): a retry with the same id and input returns the first result and
    /// writes nothing.
    public var requestID: String?
    /// Shared by all events of this command.
    public var correlationID: UUID

    public init(actor: String, requestID: String? = nil, correlationID: UUID = UUID()) {
        self.actor = actor
        self.requestID = requestID
        self.correlationID = correlationID
    }

    /// The OS user, the default actor.
    public static var currentUser: String {
        ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? NSUserName()
    }
}
