/// The emails customer-es sends. The raw values are stable: the outbox stores them.
public enum EmailKind: String, Sendable, CaseIterable {
    /// Sent when a customer is created or asks for a new verification link.
    case verification
    /// Sent with `--send-password-token` or `send-password-token`: a link to set the account's password.
    case passwordSet
    /// Sent after the customer set a new password with a password-set link: a notice without a link, so that
    /// someone who did not do it learns at once.
    case passwordChanged
    /// Sent to the new address of a pending email change: its link confirms that inbox.
    case emailChange
    /// Sent to the current address when a change of it is asked for (or made at once): someone who did not ask
    /// learns it while the old address still works.
    case emailChangeNotice
}
