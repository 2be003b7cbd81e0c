import Foundation

/// A password-set token was issued (replacing any earlier one) and a password-set email is due.
public struct PasswordTokenIssued: Sendable, Equatable {
    public var tokenId: UUID
    public var expiresAt: Date

    public init(tokenId: UUID, expiresAt: Date) {
        self.tokenId = tokenId
        self.expiresAt = expiresAt
    }
}
