import Foundation

/// What the customer's state remembers of the latest email change asked for: the address and its token. Once the
/// token is used (confirmed) the request stays here, so that its link says "used" rather than "unknown".
public struct EmailChangeRequest: Sendable, Equatable {
    public var email: String
    public var token: IssuedToken

    public init(email: String, token: IssuedToken) {
        self.email = email
        self.token = token
    }
}

/// The id of the outbox entry of the notice that an `EmailChangeRequested` sends to the current address.
///
/// That event asks for two emails and an entry's id is the id of the event asking for it, so the notice takes
/// the event's id with the UUID version nibble set to 8 (RFC 9562's custom version): fixed by the log (the same
/// after a rebuild), and never the id of an event, which are version-7 UUIDs (version-4 in older stores).
public enum EmailChangeNotice {
    public static func entryId(forEvent eventId: UUID) -> UUID {
        var bytes = eventId.uuid
        bytes.6 = (bytes.6 & 0x0F) | 0x80
        return UUID(uuid: bytes)
    }
}

extension CustomerState {
    /// The address waiting for confirmation, whether or not its link has expired since (nil once confirmed or
    /// superseded).
    public var requestedEmail: String? {
        guard let change = emailChange, !change.token.used else { return nil }
        return change.email
    }

    /// The address waiting for confirmation whose link still works at `now`: what `show` calls `pendingEmail`.
    public func pendingEmail(at now: Date) -> String? {
        guard let change = emailChange, !change.token.used, !change.token.isExpired(at: now) else { return nil }
        return change.email
    }

    /// An email-change token works once, while it is the latest one and not expired, whatever the status.
    /// Checked in the order of `verificationTokenUsability`: used, unknown, superseded, expired.
    public func emailChangeTokenUsability(_ tokenId: UUID, at now: Date) -> TokenUsability {
        guard let current = emailChange, current.token.id == tokenId else {
            return supersededEmailChangeTokenIds.contains(tokenId) ? .superseded : .unknown
        }
        if current.token.used { return .used }
        return current.token.isExpired(at: now) ? .expired(current.token) : .usable(current.token)
    }
}
