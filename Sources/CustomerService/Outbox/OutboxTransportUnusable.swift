/// The chosen transport cannot work at all (a mail folder that is a file or a dangling link, an unwritable folder,
/// a malformed SMTP configuration): a configuration problem to fix before dispatching, found before anything is
/// claimed, so that no email loses an attempt to it.
public struct OutboxTransportUnusable: Error, Sendable, Equatable, CustomStringConvertible {
    /// `file` or `smtp`.
    public let transport: String
    public let message: String

    public var description: String { "the \(transport) transport cannot be used: \(message)" }
}
