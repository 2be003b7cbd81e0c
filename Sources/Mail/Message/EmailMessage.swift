import Foundation

/// What to send, before it is rendered into RFC 5322 bytes.
///
/// `messageID` is written without angle brackets (e.g. `6f1c…@customer-es`). The outbox keeps it stable per entry,
/// which makes redelivery idempotent: `FileTransport` names the file after it, and receivers can de-duplicate on it.
public struct EmailMessage: Sendable, Equatable {
    public var from: Mailbox
    public var to: Mailbox
    public var subject: String
    public var textBody: String
    public var date: Date
    public var messageID: String

    public init(from: Mailbox, to: Mailbox, subject: String, textBody: String, date: Date, messageID: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.date = date
        self.messageID = messageID
    }
}
