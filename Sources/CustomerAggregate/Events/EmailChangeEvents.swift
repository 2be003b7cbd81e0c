import Foundation

/// A change of the customer's email to `email` was asked for and waits for the new inbox to confirm it.
///
/// The customer keeps the current address until then. The token (its id only; the token is a MAC of the id under
/// the store key) goes to `email` and is bound to it by this event: only this token confirms this address, and
/// a newer request, or a change made without verification, supersedes it. It expires at `expiresAt`, and with it
/// the reservation of the address.
public struct EmailChangeRequested: Sendable, Equatable {
    public var email: String
    public var tokenId: UUID
    public var expiresAt: Date

    public init(email: String, tokenId: UUID, expiresAt: Date) {
        self.email = email
        self.tokenId = tokenId
        self.expiresAt = expiresAt
    }
}

/// The new inbox confirmed the change with the token of `EmailChangeRequested`: the email is now `email`,
/// and `previousEmail` is released. Both addresses are recorded, so that every reader of the log (the lookups,
/// the list) follows the change from this event alone.
public struct EmailChangeConfirmed: Sendable, Equatable {
    public var previousEmail: String
    public var email: String
    public var tokenId: UUID
    public var confirmedAt: Date

    public init(previousEmail: String, email: String, tokenId: UUID, confirmedAt: Date) {
        self.previousEmail = previousEmail
        self.email = email
        self.tokenId = tokenId
        self.confirmedAt = confirmedAt
    }
}

/// An operator changed the email at once, without the new inbox confirming it, for `reason` (audited: the actor
/// is in the event's metadata). A pending change is superseded by it.
public struct EmailChanged: Sendable, Equatable {
    public var previousEmail: String
    public var email: String
    public var reason: String

    public init(previousEmail: String, email: String, reason: String) {
        self.previousEmail = previousEmail
        self.email = email
        self.reason = reason
    }
}
