import Foundation

/// Whether a token still works, and if not, why: the one rule behind `verify-email` (the decider), `show`
/// (which emails are still pending) and the outbox (an email whose link would not work is not sent).
public enum TokenUsability: Sendable, Equatable {
    case usable(IssuedToken)
    /// The link was used (the customer was verified, or set the password, with it).
    case used
    /// Never issued to this customer.
    case unknown
    /// A verification link of a customer who is already Verified.
    case alreadyVerified
    /// A newer token of the same kind replaced it.
    case superseded
    /// Expired (from the instant `expiresAt` on).
    case expired(IssuedToken)

    public var isUsable: Bool {
        if case .usable = self { return true }
        return false
    }
}

extension CustomerState {
    /// A verification token works once, for an Unverified customer, while it is the latest one and not expired.
    /// Checked in this order — used, unknown, already verified, superseded, expired — so that a used link says
    /// "used" (what the person clicking it needs to hear) and any other link of a Verified customer says
    /// "already verified".
    public func verificationTokenUsability(_ tokenId: UUID, at now: Date) -> TokenUsability {
        let current = verificationToken.flatMap { $0.id == tokenId ? $0 : nil }
        if let current, current.used { return .used }
        guard current != nil || supersededVerificationTokenIds.contains(tokenId) else { return .unknown }
        guard status == .unverified else { return .alreadyVerified }
        guard let current else { return .superseded }
        return current.isExpired(at: now) ? .expired(current) : .usable(current)
    }

    /// A password-set token works once, while it is the latest one and not expired, whatever the status.
    public func passwordTokenUsability(_ tokenId: UUID, at now: Date) -> TokenUsability {
        guard let current = passwordToken, current.id == tokenId else {
            return supersededPasswordTokenIds.contains(tokenId) ? .superseded : .unknown
        }
        if current.used { return .used }
        return current.isExpired(at: now) ? .expired(current) : .usable(current)
    }
}
