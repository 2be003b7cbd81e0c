import Foundation

extension CustomerDecider {
    /// The link must be the customer's live password token (each reason it is not has its own message), then the
    /// password must meet the policy. Using the link also verifies an Unverified customer's address: the link
    /// arrived in that inbox, which is all a verification link proves. That `EmailVerified` carries the password
    /// token's id and follows the `PasswordSet` of the same decision, so `history` shows why it happened.
    static func decideSetPassword(
        _ command: SetPassword, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        let renew = "request a new one with `customer-es send-password-token \(state.reference?.description ?? "CUSTOMER")`"
        switch state.passwordTokenUsability(command.tokenId, at: context.now) {
        case .usable:
            break
        case .used:
            throw DomainError(.tokenUsed, "This password link was already used; \(renew)")
        case .unknown, .alreadyVerified:
            throw DomainError(.tokenUnknown, "Unknown password token for \(state.displayName.lowercasedFirst)")
        case .superseded:
            throw DomainError(
                .tokenSuperseded, "This password link was replaced by a newer one; use the link in the latest email or \(renew)")
        case .expired(let current):
            throw DomainError(.tokenExpired, "This password link expired on \(UTCTime.readable(current.expiresAt)); \(renew)")
        }
        try PasswordPolicy.check(command.password, for: state.profile, commonPasswords: command.commonPasswords)
        var events: [CustomerEvent] = [.passwordSet(PasswordSet(
            setAt: context.stamp, source: .passwordLink, tokenId: command.tokenId, algorithm: command.algorithm))]
        if state.status == .unverified {
            events.append(.emailVerified(EmailVerified(verifiedAt: context.stamp, tokenId: command.tokenId)))
        }
        return events
    }

    /// Always returns the attempt's events (a refusal is recorded too); the caller reads the outcome from them.
    ///
    /// A locked account refuses every attempt until the lock ends, without counting it. Otherwise a wrong
    /// password counts, and the `sign-in-max-failures`-th in a row locks the account for `sign-in-lock`'s first
    /// duration, doubled for each further lock-out before a successful sign-in, up to its maximum. A right
    /// password of an Unverified customer is refused while `sign-in-requires-verified` is on (and does not count:
    /// the person knows the password).
    static func decideSignIn(
        _ command: SignIn, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        let at = context.stamp
        if state.signIn.isLocked(at: context.now) {
            return [.signInFailed(SignInFailed(failedAt: at, reason: .locked, consecutiveFailures: 0))]
        }
        switch command.check {
        case .noCredential:
            return [.signInFailed(SignInFailed(failedAt: at, reason: .noPassword, consecutiveFailures: 0))]
        case .mismatched:
            let failures = state.signIn.consecutiveFailures + 1
            var events: [CustomerEvent] = [
                .signInFailed(SignInFailed(failedAt: at, reason: .wrongPassword, consecutiveFailures: failures)),
            ]
            if failures >= context.settings.signInMaxFailures {
                let number = state.signIn.locksSinceSuccess + 1
                let duration = context.settings.signInLock.delay(afterFailedAttempt: number)
                events.append(.accountLocked(AccountLocked(
                    lockedAt: at, lockedUntil: context.instant(after: duration), lockNumber: number)))
            }
            return events
        case .matched:
            if context.settings.signInRequiresVerified && state.status != .verified {
                return [.signInFailed(SignInFailed(failedAt: at, reason: .notVerified, consecutiveFailures: 0))]
            }
            var events: [CustomerEvent] = [.signInSucceeded(SignInSucceeded(signedInAt: at))]
            if let upgrade = command.upgradeTo {
                events.append(.passwordRehashed(PasswordRehashed(
                    rehashedAt: at, fromAlgorithm: command.upgradeFrom ?? state.password?.algorithm ?? "unknown",
                    toAlgorithm: upgrade)))
            }
            return events
        }
    }

    /// The credential events' transitions. A new password (the owner proved the inbox) ends any lock-out.
    static func evolveCredentials(_ state: CustomerState, _ event: CustomerEvent) -> CustomerState {
        var next = state
        switch event {
        case .passwordSet(let set):
            next.password = PasswordRecord(algorithm: set.algorithm, setAt: set.setAt)
            if let tokenId = set.tokenId, next.passwordToken?.id == tokenId {
                next.passwordToken?.used = true
            }
            next.signIn = SignInRecord(lastSignedInAt: state.signIn.lastSignedInAt)
        case .passwordRehashed(let rehashed):
            next.password?.algorithm = rehashed.toAlgorithm
        case .signInSucceeded(let success):
            next.signIn = SignInRecord(lastSignedInAt: success.signedInAt)
        case .signInFailed(let failure):
            if failure.reason == .wrongPassword { next.signIn.consecutiveFailures = failure.consecutiveFailures }
        case .accountLocked(let lock):
            next.signIn.lockedUntil = lock.lockedUntil
            next.signIn.locksSinceSuccess = lock.lockNumber
            next.signIn.consecutiveFailures = 0
        case .created, .verificationRequested, .passwordTokenIssued, .emailVerified, .edited, .address, .note, .emailChangeRequested, .emailChangeConfirmed, .emailChanged, .forgotten:
            break
        }
        return next
    }
}
