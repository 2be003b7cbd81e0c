import CustomerAggregate
import EventStore
import Foundation
import Mail
import Projections

/// Where `outbox dispatch` delivers.
public enum OutboxTransportChoice: Sendable, Equatable {
    /// One `.eml` file per message in `directory` (default `<store>/mail`).
    case file(directory: URL?)
    /// A plain SMTP relay.
    case smtp(host: String, port: UInt16)
}

extension CustomerService {
    /// The outbox read model (the same tables the store keeps inline).
    public var outbox: EmailOutbox { EmailOutbox() }

    /// Outbox entries, oldest request first; `state` is `pending`, `sent`, `failed` or `dead` (nil: all).
    public func outboxEntries(state: String? = nil) throws -> [OutboxEntry] {
        try store.read { try outbox.allEntries(state: state, in: $0) }
    }

    /// The default folder of the file transport.
    public var mailDirectory: URL { storeDirectory.appendingPathComponent("mail", isDirectory: true) }

    /// A dispatcher for `choice`, recording outcomes with `metadata` (actor, correlation id of this run).
    public func outboxDispatcher(
        _ choice: OutboxTransportChoice, metadata: CommandMetadata, options: OutboxDispatcher.Options = .init()
    ) throws -> OutboxDispatcher {
        let transport: any MailTransport
        switch choice {
        case .file(let directory): transport = FileTransport(directory: directory ?? mailDirectory)
        case .smtp(let host, let port):
            transport = SMTPTransport(host: host, port: port, heloName: try settings().effectiveHeloName)
        }
        return try OutboxDispatcher(service: self, transport: transport, metadata: metadata, options: options)
    }
}

extension StoreSettings {
    /// The `helo-name` setting, with `auto` replaced by this machine's fully qualified name.
    public var effectiveHeloName: String {
        heloName == StoreSettings.automaticHeloName ? LocalHostName.fullyQualified : heloName
    }
}
