/// Everything that can happen to one customer, in the order it is appended to the customer's stream.
public enum CustomerEvent: Sendable, Equatable {
    case created(CustomerCreated)
    /// Drives the verification email.
    case verificationRequested(VerificationRequested)
    /// Drives the password-set email.
    case passwordTokenIssued(PasswordTokenIssued)
    case emailVerified(EmailVerified)
    /// Profile fields changed (`edit`).
    case edited(CustomerEdited)
}
