import Foundation

/// The customer is Verified from `verifiedAt`.
public struct EmailVerified: Sendable, Equatable {
    public var verifiedAt: Date
    /// The verification token that was used; `nil` when an import declared the customer registered.
    public var tokenId: UUID?

    public init(verifiedAt: Date, tokenId: UUID?) {
        self.verifiedAt = verifiedAt
        self.tokenId = tokenId
    }
}
