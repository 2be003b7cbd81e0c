/// One line per event for `history` and `audit`: what changed, in the back office's words.
extension CustomerEvent {
    public var summary: String {
        switch self {
        case .created(let event):
            let profile = event.profile
            let verb = event.origin == .import ? "imported" : "created"
            return "Customer \(event.reference) \(verb) (\(CustomerStatus.unverified.rawValue)): "
                + "\(profile.fullName) <\(profile.email)>"
        case .verificationRequested(let event):
            let expiry = "token expires \(UTCTime.readable(event.expiresAt))"
            switch event.reason {
            case .signUp: return "Verification email requested (\(expiry))"
            case .resend: return "Verification email re-sent; earlier links no longer work (\(expiry))"
            case .import: return "Verification email requested for the imported customer (\(expiry))"
            case .emailChanged: return "Verification email requested for the changed address; earlier links no longer work (\(expiry))"
            }
        case .passwordTokenIssued(let event):
            return "Password-set email requested; earlier links no longer work "
                + "(token expires \(UTCTime.readable(event.expiresAt)))"
        case .emailVerified(let event):
            return event.tokenId == nil
                ? "Email verified (registered on \(CalendarDate(utcDayOf: event.verifiedAt)) per import)"
                : "Email verified"
        case .passwordSet(let event):
            switch event.source {
            case .passwordLink: return "Password set with the password-set link (\(event.algorithm))"
            case .import: return "Password hash taken over from the import (\(event.algorithm))"
            }
        case .passwordRehashed(let event):
            return "Password hash upgraded from \(event.fromAlgorithm) to \(event.toAlgorithm) at sign-in"
        case .signInSucceeded:
            return "Signed in"
        case .signInFailed(let event):
            switch event.reason {
            case .wrongPassword: return "Sign-in failed: wrong password (\(event.consecutiveFailures) in a row)"
            case .noPassword: return "Sign-in failed: no password is set"
            case .locked: return "Sign-in refused: the account is locked"
            case .notVerified: return "Sign-in refused: the email address is not verified"
            }
        case .accountLocked(let event):
            return "Account locked until \(UTCTime.readable(event.lockedUntil)) after repeated wrong passwords "
                + "(lock-out \(event.lockNumber))"
        case .edited(let event):
            return "Customer edited: " + event.changes.map { $0.field.label.lowercased() }.joined(separator: ", ")
        case .forgotten(let event):
            return "Personal data erased (right to erasure): \(event.reason)"
        case .address(let event):
            return event.summary
        case .note(let event):
            return event.summary
        case .emailChangeRequested(let event):
            return "Email change to \(event.email) requested (pending verification; link expires \(UTCTime.readable(event.expiresAt)))"
        case .emailChangeConfirmed(let event):
            return "email: \(event.previousEmail) → \(event.email) (confirmed with the link sent to the new address)"
        case .emailChanged(let event):
            return "email: \(event.previousEmail) → \(event.email) (changed without verification; reason: \(event.reason))"
        }
    }

    /// The summary as `history` shows it, knowing the customer's state before the event: an email change asked
    /// for names the address it would replace.
    public func summary(after previous: CustomerState) -> String {
        guard case .emailChangeRequested(let event) = self, let current = previous.profile?.email else { return summary }
        return "email: \(current) → \(event.email) (pending verification; link expires \(UTCTime.readable(event.expiresAt)))"
    }

    /// The status this event leads to, when it changes status (for `audit`: from → to).
    public var resultingStatus: CustomerStatus? {
        switch self {
        case .created: return .unverified
        case .emailVerified: return .verified
        case .verificationRequested, .passwordTokenIssued, .passwordSet, .passwordRehashed, .signInSucceeded,
             .signInFailed, .accountLocked, .edited, .address, .note, .emailChangeRequested, .emailChangeConfirmed,
             .emailChanged, .forgotten:
            return nil
        }
    }
}
