import Foundation

/// What the customer's state knows of the password: that there is one, of which algorithm, since when. The hash
/// itself is in the credentials table, never in events or state.
public struct PasswordRecord: Sendable, Equatable {
    public var algorithm: String
    public var setAt: Date

    public init(algorithm: String, setAt: Date) {
        self.algorithm = algorithm
        self.setAt = setAt
    }
}

/// The lock-out bookkeeping, folded from the sign-in events, so that a lock holds across processes (it is in the
/// log) and survives restarts.
public struct SignInRecord: Sendable, Equatable {
    /// Wrong passwords since the last success or lock-out.
    public var consecutiveFailures: Int
    /// Sign-ins are refused before this instant.
    public var lockedUntil: Date?
    /// Lock-outs since the last successful sign-in: the next one lasts twice as long.
    public var locksSinceSuccess: Int
    public var lastSignedInAt: Date?

    public init(consecutiveFailures: Int = 0, lockedUntil: Date? = nil, locksSinceSuccess: Int = 0, lastSignedInAt: Date? = nil) {
        self.consecutiveFailures = consecutiveFailures
        self.lockedUntil = lockedUntil
        self.locksSinceSuccess = locksSinceSuccess
        self.lastSignedInAt = lastSignedInAt
    }

    /// Whether sign-ins are refused at `now` (the lock ends at `lockedUntil` exactly).
    public func isLocked(at now: Date) -> Bool {
        lockedUntil.map { now < $0 } ?? false
    }
}
