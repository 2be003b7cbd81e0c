import Foundation

/// The back office's "Create customer": a new, Unverified customer, a verification email, and optionally a
/// password-set email.
///
/// Everything the decider cannot know by itself is decided by the caller and passed in: the stream identity, the
/// next reference from the counter, the token ids (the secrets themselves never reach the domain), and whether
/// the email is taken (the uniqueness index spans customers).
public struct CreateCustomer: Sendable, Equatable {
    public var customerId: CustomerID
    public var reference: CustomerReference
    public var form: CustomerForm
    public var sendPasswordToken: Bool
    public var emailAlreadyUsed: Bool
    public var verificationTokenId: UUID
    /// Non-nil exactly when `sendPasswordToken` is set.
    public var passwordTokenId: UUID?

    public init(
        customerId: CustomerID,
        reference: CustomerReference,
        form: CustomerForm,
        sendPasswordToken: Bool,
        emailAlreadyUsed: Bool,
        verificationTokenId: UUID,
        passwordTokenId: UUID?
    ) {
        self.customerId = customerId
        self.reference = reference
        self.form = form
        self.sendPasswordToken = sendPasswordToken
        self.emailAlreadyUsed = emailAlreadyUsed
        self.verificationTokenId = verificationTokenId
        self.passwordTokenId = passwordTokenId
    }
}
