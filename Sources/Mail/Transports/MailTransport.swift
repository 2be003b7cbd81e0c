/// Delivers rendered messages somewhere: a directory (`FileTransport`) or an SMTP relay (`SMTPTransport`).
///
/// A transport is used from one thread at a time (the outbox dispatcher's loop) and may keep state between
/// messages, such as an open SMTP connection; call `close()` when done. It is not `Sendable` for that reason.
public protocol MailTransport: AnyObject {
    /// `file` or `smtp`: recorded with each delivery outcome.
    var name: String { get }

    /// Checks that the transport can work at all and gets it ready (the file transport creates its folder and
    /// removes the temporary files of killed processes); called once before anything is claimed for delivery.
    /// A failure here is a configuration problem to fix, not a failed delivery: nothing should be attempted.
    func prepare() throws(DeliveryFailure)

    /// Delivers `rendered` (the output of `MessageRenderer.render(message)`); `message` supplies the envelope
    /// (sender, recipient) and the Message-ID. Returns only once the message is durably handed over: on disk
    /// (fsync'ed) or accepted by the relay with a 2xx reply.
    ///
    /// `confirm` is asked once, as late as possible before the point of no return (before the file is written;
    /// after the relay's 354, before the message data): when it returns false nothing is handed over and the
    /// failure is `.withdrawn`. The outbox checks there that it still holds the email's lease.
    func deliver(_ message: EmailMessage, rendered: [UInt8], confirm: () -> Bool) throws(DeliveryFailure) -> DeliveryReceipt

    /// Releases resources (sends SMTP `QUIT`). Safe to call more than once; a later `deliver` opens them again.
    func close()
}

extension MailTransport {
    /// Delivers without a last-moment check.
    public func deliver(_ message: EmailMessage, rendered: [UInt8]) throws(DeliveryFailure) -> DeliveryReceipt {
        try deliver(message, rendered: rendered, confirm: { true })
    }
}

/// Where a message went.
public struct DeliveryReceipt: Sendable, Equatable {
    /// `file` or `smtp`.
    public let transport: String
    /// The file path, or the relay's final reply (e.g. `250 2.0.0 Ok: queued as 4F1C2`).
    public let detail: String

    public init(transport: String, detail: String) {
        self.transport = transport
        self.detail = detail
    }
}
