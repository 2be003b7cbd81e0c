/// The emails customer-es sends. The raw values are stable: the outbox stores them.
public enum EmailKind: String, Sendable, CaseIterable {
    /// Sent when a customer is created or asks for a new verification link.
    case verification
    /// Sent with `--send-password-token` or `send-password-token`: a link to set the account's password.
    case passwordSet
    /// Sent after the customer set a new password with a password-set link: a notice without a link, so that
    /// someone who did not do it learns at once.
    case passwordChanged
}
