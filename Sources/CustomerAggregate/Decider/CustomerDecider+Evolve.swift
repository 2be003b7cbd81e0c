import Foundation

extension CustomerDecider {
    /// Total and pure: an event that makes no sense for the state (a second `CustomerCreated`, anything before
    /// creation) is ignored rather than trapping, so that a replay of any log always completes.
    public static func evolve(_ state: CustomerState, _ event: CustomerEvent) -> CustomerState {
        var next = state
        switch event {
        case .created(let created):
            guard !state.exists else { return state }
            next = CustomerState(
                customerId: created.customerId,
                reference: created.reference,
                profile: created.profile,
                origin: created.origin,
                status: .unverified,
                createdAt: created.createdAt
            )
        case .verificationRequested(let requested):
            guard state.exists else { return state }
            next.verificationToken = replacing(
                state.verificationToken, with: requested.tokenId, expiresAt: requested.expiresAt,
                superseded: &next.supersededVerificationTokenIds
            )
        case .passwordTokenIssued(let issued):
            guard state.exists else { return state }
            next.passwordToken = replacing(
                state.passwordToken, with: issued.tokenId, expiresAt: issued.expiresAt,
                superseded: &next.supersededPasswordTokenIds
            )
        case .emailVerified(let verified):
            guard state.exists else { return state }
            next.status = .verified
            next.verifiedAt = verified.verifiedAt
            if let tokenId = verified.tokenId, next.verificationToken?.id == tokenId {
                next.verificationToken?.used = true
            }
        case .passwordSet, .passwordRehashed, .signInSucceeded, .signInFailed, .accountLocked:
            guard state.exists else { return state }
            next = evolveCredentials(next, event)
        case .edited(let edited):
            guard let profile = state.profile else { return state }
            next.profile = edited.applied(to: profile)
        case .forgotten(let forgotten):
            guard state.exists, state.erasedAt == nil else { return state }
            next.erasedAt = forgotten.forgottenAt
            next.personalDataErased = true
            next.profile = state.profile?.withoutPersonalData
            next.addressBook = state.addressBook.withoutPersonalData
            next.notes = state.notes.withoutPersonalData
            next.verificationToken = nil
            next.passwordToken = nil
            next.password = nil
        case .address(let event):
            guard state.exists else { return state }
            next.addressBook.apply(event)
        case .note(let event):
            guard state.exists else { return state }
            next.notes.apply(event)
        case .emailChangeRequested(let requested):
            guard state.exists else { return state }
            if let previous = state.emailChange, previous.token.id != requested.tokenId {
                next.supersededEmailChangeTokenIds.insert(previous.token.id)
            }
            next.supersededEmailChangeTokenIds.remove(requested.tokenId)
            next.emailChange = EmailChangeRequest(
                email: requested.email, token: IssuedToken(id: requested.tokenId, expiresAt: requested.expiresAt))
        case .emailChangeConfirmed(let confirmed):
            guard state.exists else { return state }
            next.profile?.email = confirmed.email
            if next.emailChange?.token.id == confirmed.tokenId { next.emailChange?.token.used = true }
        case .emailChanged(let changed):
            guard state.exists else { return state }
            next.profile?.email = changed.email
            // A change made at once supersedes one still waiting: its link stops working.
            if let pending = state.emailChange, !pending.token.used {
                next.supersededEmailChangeTokenIds.insert(pending.token.id)
                next.emailChange = nil
            }
        }
        return next
    }

    /// The new current token; the previous one (if different) joins the superseded ids.
    private static func replacing(
        _ previous: IssuedToken?, with id: UUID, expiresAt: Date, superseded: inout Set<UUID>
    ) -> IssuedToken {
        if let previous, previous.id != id {
            superseded.insert(previous.id)
        }
        superseded.remove(id)
        return IssuedToken(id: id, expiresAt: expiresAt)
    }
}
