/// A message was not delivered; `kind` tells the outbox whether trying again can help.
public struct DeliveryFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Worth retrying later: a 4xx reply, a timeout, a refused or dropped connection, a full disk.
        case temporary
        /// Retrying the same message will fail again: a 5xx reply to the transaction, a message that cannot be
        /// rendered or addressed.
        case permanent
        /// The transport cannot deliver anything right now, whatever the message (a full disk, a relay that refuses
        /// our sender or HELO name): not an attempt at this message. The caller should stop and try later.
        case outage
        /// The recipient's address has a non-ASCII local part and the relay does not offer SMTPUTF8 (RFC 6531):
        /// it cannot be written in ASCII, so this relay can never deliver it (another relay, with SMTPUTF8, can).
        case requiresSMTPUTF8
        /// The caller's last-moment check (`deliver`'s `confirm`) said no: nothing was handed over.
        case withdrawn
    }

    public let kind: Kind
    /// What went wrong and what to do about it, naming the server (`host:port`) or path involved.
    public let message: String
    /// For a relay's refusal of MAIL FROM or RCPT TO that does not name the recipient: the reply itself, so that the
    /// outbox can see a relay refusing every recipient the same way (its configuration, not the emails).
    public let refusal: String?

    public init(kind: Kind, message: String, refusal: String? = nil) {
        self.kind = kind
        self.message = message
        self.refusal = refusal
    }

    static func temporary(_ message: String) -> DeliveryFailure { DeliveryFailure(kind: .temporary, message: message) }
    static func permanent(_ message: String) -> DeliveryFailure { DeliveryFailure(kind: .permanent, message: message) }
    static func outage(_ message: String) -> DeliveryFailure { DeliveryFailure(kind: .outage, message: message) }
    static func requiresSMTPUTF8(_ message: String) -> DeliveryFailure {
        DeliveryFailure(kind: .requiresSMTPUTF8, message: message)
    }
    static let withdrawn = DeliveryFailure(kind: .withdrawn, message: "withdrawn before it was handed over")

    public var description: String { message }
}
