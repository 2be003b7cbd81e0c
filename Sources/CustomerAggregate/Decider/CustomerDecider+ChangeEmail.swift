import Foundation

extension CustomerDecider {
    /// The new address is checked by the create form's rule (and must be free); then either a pending change
    /// waiting for the new inbox (`EmailChangeRequested`, which supersedes an earlier one), or — without
    /// verification, with a reason — the change at once (`EmailChanged`). An Unverified customer changed at once
    /// stays Unverified and gets a new verification link at the new address, so that the link mailed to the old
    /// (perhaps mistyped) address stops working. The same address as now changes nothing.
    static func decideChangeEmail(
        _ command: ChangeEmail, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        guard let profile = state.profile else { return [] }
        var problems: [Problem] = []
        let trimmedReason = command.reason?.trimmed()
        let sameInbox = CustomerProfile.uniquenessKey(forEmail: command.email) == profile.emailKey
        let email = FieldRules.email(command.email, alreadyUsed: command.emailAlreadyUsed && !sameInbox, problems: &problems)
        if command.withoutVerification {
            if let reasonProblem = reasonProblem(trimmedReason) { problems.append(reasonProblem) }
        } else if trimmedReason != nil {
            problems.append(Problem(field: "reason", message: "Reason is recorded only for a change without verification", rule: .reasonNotRecorded))
        }
        if problems.isEmpty, sameInbox, email != profile.email, !command.withoutVerification {
            // Addresses are one inbox whatever their case, so a spelling fix has nothing to verify: it is an
            // operator's correction, made at once with a reason.
            problems.append(CustomerField.email.problem(
                "differs from the current address only in letter case; such a fix is made without verification, with a reason", .caseOnlyChange))
        }
        guard problems.isEmpty else { throw CustomerValidation.failure(problems) }
        if email == profile.email { return [] }

        guard command.withoutVerification, let reason = trimmedReason else {
            return [.emailChangeRequested(EmailChangeRequested(
                email: email, tokenId: command.tokenId,
                expiresAt: context.instant(after: context.settings.verificationTokenTTL)))]
        }
        var events: [CustomerEvent] = [.emailChanged(EmailChanged(previousEmail: profile.email, email: email, reason: reason))]
        if state.status == .unverified, !sameInbox {
            events.append(.verificationRequested(VerificationRequested(
                tokenId: command.tokenId, expiresAt: context.instant(after: context.settings.verificationTokenTTL),
                reason: .emailChanged)))
        }
        return events
    }

    /// What is wrong with a change's reason, or nil: required, 1–500 printable characters (it is shown by
    /// `history`, so it must not forge a line or drive a terminal).
    static func reasonProblem(_ reason: String?) -> Problem? {
        guard let reason, !reason.isEmpty else {
            return Problem(field: "reason", message: "Reason is required for a change without verification", rule: .required)
        }
        if reason.count > ChangeEmail.maximumReasonLength {
            return Problem(
                field: "reason", message: "Reason must be at most \(ChangeEmail.maximumReasonLength) characters",
                rule: .tooLong, arguments: ["maximum": "\(ChangeEmail.maximumReasonLength)"])
        }
        if reason.unicodeScalars.contains(where: { !ActorName.isPrintable($0) }) {
            return Problem(field: "reason", message: "Reason must be printable text (no control or formatting characters)", rule: .notPrintable)
        }
        return nil
    }

    /// The link of the latest email change, while it works, switches the email; an Unverified customer also
    /// becomes Verified, since the link proves the new inbox, which is the customer's address from now on.
    static func decideConfirmEmailChange(
        _ command: ConfirmEmailChange, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        guard let profile = state.profile else { return [] }
        switch state.emailChangeTokenUsability(command.tokenId, at: context.now) {
        case .usable:
            break
        case .used:
            throw DomainError(.tokenUsed, "This email-change link was already used; the address of \(state.displayName.lowercasedFirst) is \(profile.email)")
        case .unknown, .alreadyVerified:
            throw DomainError(.tokenUnknown, "Unknown email-change token for \(state.displayName.lowercasedFirst)")
        case .superseded:
            throw DomainError(.tokenSuperseded, "This email-change link was replaced by a newer change; use the link in the latest email")
        case .expired(let token):
            throw DomainError(.tokenExpired, "This email-change link expired on \(UTCTime.readable(token.expiresAt)); the change must be asked for again")
        }
        guard let change = state.emailChange else { return [] }
        guard !command.emailTakenByAnother else {
            throw DomainError(.emailAlreadyUsed, "The address \(change.email) is now used by another customer; the change must be asked for again with another address",
                              problems: [CustomerField.email.problem("is already used", .alreadyUsed)])
        }
        var events: [CustomerEvent] = [.emailChangeConfirmed(EmailChangeConfirmed(
            previousEmail: profile.email, email: change.email, tokenId: command.tokenId, confirmedAt: context.stamp))]
        if state.status == .unverified {
            events.append(.emailVerified(EmailVerified(verifiedAt: context.stamp, tokenId: command.tokenId)))
        }
        return events
    }
}
