import Foundation

/// `change-email CUSTOMER --email NEW [--without-verification --reason TEXT]`, as given (untrimmed, unchecked).
///
/// `emailAlreadyUsed` is the caller's answer, from inside the write transaction, to "is NEW the current address
/// of another customer, or reserved by another customer's pending change that has not expired?"; the customer's
/// own pending address does not count. `tokenId` is minted by the caller for the verification link (and, without
/// verification, for the new sign-up link of an Unverified customer).
public struct ChangeEmail: Sendable, Equatable {
    public var email: String
    public var withoutVerification: Bool
    public var reason: String?
    public var emailAlreadyUsed: Bool
    public var tokenId: UUID

    public init(email: String, withoutVerification: Bool = false, reason: String? = nil, emailAlreadyUsed: Bool, tokenId: UUID) {
        self.email = email
        self.withoutVerification = withoutVerification
        self.reason = reason
        self.emailAlreadyUsed = emailAlreadyUsed
        self.tokenId = tokenId
    }

    /// The longest reason kept (a sentence or two for the audit, not a document).
    public static let maximumReasonLength = 500
}

/// A used email-change link. `emailTakenByAnother` is the caller's check that nobody holds the requested
/// address now (the reservation should have kept it free; this keeps a clock running behind from ever giving
/// one address to two customers).
public struct ConfirmEmailChange: Sendable, Equatable {
    public var tokenId: UUID
    public var emailTakenByAnother: Bool

    public init(tokenId: UUID, emailTakenByAnother: Bool) {
        self.tokenId = tokenId
        self.emailTakenByAnother = emailTakenByAnother
    }
}
