import CompactCodec
import Foundation

/// Who issues a command and how to recognise a retry of it; recorded in every event's metadata.
public struct CommandMetadata: Sendable {
    public var actor: String
    /// A caller-chosen id (`--request-id`): a retry with the same id and input returns the first result and
    /// writes nothing.
    public var requestID: String?
    /// Shared by all events of this command.
    public var correlationID: UUID
    /// The account that runs this process, recorded beside `actor` so that a claimed actor is never the only trace.
    public var osUser: String

    public init(actor: String, requestID: String? = nil, correlationID: UUID = RandomUUID.next(), osUser: String = CommandMetadata.processUser) {
        self.actor = actor
        self.requestID = requestID
        self.correlationID = correlationID
        self.osUser = osUser
    }

    /// The name of the process's real user id (from the password database, not from `$USER`, which anyone can
    /// set), or `uid N` when it has no entry. Looked up once: a process's real user id does not change, and a
    /// server records it in every command.
    public static let processUser: String = {
        let uid = getuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }()

    /// The OS user, the default actor.
    public static var currentUser: String {
        ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? NSUserName()
    }
}
