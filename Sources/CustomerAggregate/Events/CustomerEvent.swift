/// Everything that can happen to one customer, in the order it is appended to the customer's stream.
public enum CustomerEvent: Sendable, Equatable {
    case created(CustomerCreated)
    /// Drives the verification email.
    case verificationRequested(VerificationRequested)
    /// Drives the password-set email.
    case passwordTokenIssued(PasswordTokenIssued)
    case emailVerified(EmailVerified)
    /// The hash went to the credentials table in the same transaction; the event never carries it.
    case passwordSet(PasswordSet)
    case passwordRehashed(PasswordRehashed)
    case signInSucceeded(SignInSucceeded)
    case signInFailed(SignInFailed)
    case accountLocked(AccountLocked)
    /// Profile fields changed (`edit`).
    case edited(CustomerEdited)
    /// The personal data was erased (`forget`).
    case forgotten(CustomerForgotten)
    /// An address added, edited or removed (`address …`).
    case address(AddressEvent)
    /// A note added or withdrawn (`note …`).
    case note(NoteEvent)
    /// A new address waits for its inbox to confirm (`change-email`); drives its verification email and the
    /// notice to the current address.
    case emailChangeRequested(EmailChangeRequested)
    case emailChangeConfirmed(EmailChangeConfirmed)
    /// Changed at once by an operator (`change-email --without-verification`); drives the notice to the old address.
    case emailChanged(EmailChanged)
}
