import Foundation

/// What the customer's state remembers of a token: enough to tell current, used, expired and superseded apart.
/// The secret is never here: the log holds only the id, and the token is a MAC of it under the store key.
public struct IssuedToken: Sendable, Equatable {
    public var id: UUID
    public var expiresAt: Date
    public var used: Bool

    public init(id: UUID, expiresAt: Date, used: Bool = false) {
        self.id = id
        self.expiresAt = expiresAt
        self.used = used
    }

    /// Expired from the instant `expiresAt` on (a token valid "for 7 days" is not valid at 7 days).
    public func isExpired(at now: Date) -> Bool {
        now >= expiresAt
    }
}
