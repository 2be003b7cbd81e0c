import Foundation

/// Everything that can be asked of one customer. Token ids are minted by the caller (with the secret kept
/// outside the log), which keeps `decide` free of randomness.
public enum CustomerCommand: Sendable, Equatable {
    case create(CreateCustomer)
    case importCustomer(ImportCustomer)
    /// Issue a new password-set token; the previous one stops working.
    case sendPasswordToken(tokenId: UUID)
    /// The caller has checked the token's secret and found the customer by the token id.
    case verifyEmail(tokenId: UUID)
    /// Issue a new verification token for an Unverified customer; the previous one stops working.
    case resendVerification(tokenId: UUID)
    /// Set the password with a password-set link (the token must be the customer's live password token).
    case setPassword(SetPassword)
    /// Record one sign-in attempt, whose password the caller has checked.
    case signIn(SignIn)
    /// Change some profile fields; decides to nothing when every given value is the current one.
    case edit(EditCustomer)
    /// Erase the customer's personal data (right to erasure), for the operator's reason.
    case forget(reason: String)
    case addAddress(AddAddress)
    case editAddress(EditAddress)
    /// The address id as typed (`A2`).
    case removeAddress(addressId: String)
    case addNote(AddNote)
    case withdrawNote(WithdrawNote)
    /// Change the email: reserve and confirm by the new inbox, or at once without verification.
    case changeEmail(ChangeEmail)
    /// The caller has checked the token's secret and found the customer by the token id.
    case confirmEmailChange(ConfirmEmailChange)
}
