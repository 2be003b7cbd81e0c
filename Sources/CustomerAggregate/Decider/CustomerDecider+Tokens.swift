import Foundation

extension CustomerDecider {
    /// Allowed whatever the status: a Verified customer may still need to (re)set a password.
    static func decideSendPasswordToken(
        _ tokenId: UUID, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        return [.passwordTokenIssued(PasswordTokenIssued(
            tokenId: tokenId, expiresAt: context.instant(after: context.settings.passwordTokenTTL)
        ))]
    }

    /// Only an Unverified customer gets a new verification link; the previous one stops working.
    static func decideResendVerification(
        _ tokenId: UUID, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        guard state.status == .unverified else {
            throw DomainError(.notUnverified, "\(state.displayName) is already verified")
        }
        return [.verificationRequested(VerificationRequested(
            tokenId: tokenId, expiresAt: context.instant(after: context.settings.verificationTokenTTL),
            reason: .resend
        ))]
    }

    /// Each reason a link does not work (`CustomerState.verificationTokenUsability`) has its own message.
    static func decideVerifyEmail(
        _ tokenId: UUID, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        let resend = Remedy.requestNewVerification(reference: state.reference?.description)
        switch state.verificationTokenUsability(tokenId, at: context.now) {
        case .usable:
            return [.emailVerified(EmailVerified(verifiedAt: context.stamp, tokenId: tokenId))]
        case .used:
            let when = state.verifiedAt.map { " on \(UTCTime.readable($0))" } ?? ""
            throw DomainError(.tokenUsed, "This verification link was already used; \(state.displayName) was verified\(when)")
        case .unknown:
            throw DomainError(.tokenUnknown, "Unknown verification token for \(state.displayName.lowercasedFirst)")
        case .alreadyVerified:
            throw DomainError(.alreadyVerified, "\(state.displayName) is already verified")
        case .superseded:
            throw DomainError(
                .tokenSuperseded,
                "This verification link was replaced by a newer one; use the link in the latest email or request a new one",
                remedy: resend
            )
        case .expired(let current):
            throw DomainError(
                .tokenExpired,
                "This verification link expired on \(UTCTime.readable(current.expiresAt)); request a new one",
                remedy: resend
            )
        }
    }
}

extension String {
    /// "Customer DE--3" → "customer DE--3", for use mid-sentence.
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
