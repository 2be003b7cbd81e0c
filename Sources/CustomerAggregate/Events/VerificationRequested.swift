import Foundation

/// Why a verification email was requested; the outbox words nothing differently today, but `history` does.
public enum VerificationReason: String, CaseIterable, Sendable {
    case signUp = "sign-up"
    case resend = "resend"
    case `import` = "import"
    /// An operator changed the email of an Unverified customer at once: the link goes to the new address.
    case emailChanged = "email-changed"
}

/// A verification token was issued (replacing any earlier one) and a verification email is due.
///
/// Only the token's id is recorded: the token itself is a MAC of that id under the store
/// key, so the append-only log never holds a usable token.
public struct VerificationRequested: Sendable, Equatable {
    public var tokenId: UUID
    public var expiresAt: Date
    public var reason: VerificationReason

    public init(tokenId: UUID, expiresAt: Date, reason: VerificationReason) {
        self.tokenId = tokenId
        self.expiresAt = expiresAt
        self.reason = reason
    }
}
