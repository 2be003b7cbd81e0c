import Foundation

/// How a customer's password came to be set.
public enum PasswordSource: String, CaseIterable, Sendable {
    /// The customer used the link of a password-set email (`tokenId` says which).
    case passwordLink = "password-link"
    /// A platform export carried the customer's (bcrypt) hash.
    case `import` = "import"
}

/// The customer has a new password. The hash lives in the credentials table, written in the same transaction,
/// and never in the log: the event says only when, how, and with which algorithm.
public struct PasswordSet: Sendable, Equatable {
    public var setAt: Date
    public var source: PasswordSource
    /// The password token used, for `source == .passwordLink`.
    public var tokenId: UUID?
    /// `yescrypt` or `bcrypt`.
    public var algorithm: String

    public init(setAt: Date, source: PasswordSource, tokenId: UUID?, algorithm: String) {
        self.setAt = setAt
        self.source = source
        self.tokenId = tokenId
        self.algorithm = algorithm
    }
}

/// A successful sign-in replaced the stored hash with one of the current algorithm (same password).
public struct PasswordRehashed: Sendable, Equatable {
    public var rehashedAt: Date
    public var fromAlgorithm: String
    public var toAlgorithm: String

    public init(rehashedAt: Date, fromAlgorithm: String, toAlgorithm: String) {
        self.rehashedAt = rehashedAt
        self.fromAlgorithm = fromAlgorithm
        self.toAlgorithm = toAlgorithm
    }
}

/// The customer signed in with the right password.
public struct SignInSucceeded: Sendable, Equatable {
    public var signedInAt: Date

    public init(signedInAt: Date) {
        self.signedInAt = signedInAt
    }
}

/// Why a sign-in was refused. Only `wrongPassword` counts towards the lock-out: the others say nothing about
/// someone guessing the password.
public enum SignInFailureReason: String, CaseIterable, Sendable {
    case wrongPassword = "wrong-password"
    case noPassword = "no-password"
    case locked = "locked"
    case notVerified = "not-verified"
}

/// A refused sign-in (never the password that was tried).
public struct SignInFailed: Sendable, Equatable {
    public var failedAt: Date
    public var reason: SignInFailureReason
    /// Wrong passwords in a row, this one included (0 for the reasons that do not count).
    public var consecutiveFailures: Int

    public init(failedAt: Date, reason: SignInFailureReason, consecutiveFailures: Int) {
        self.failedAt = failedAt
        self.reason = reason
        self.consecutiveFailures = consecutiveFailures
    }
}

/// Too many wrong passwords in a row: sign-ins are refused until `lockedUntil`.
public struct AccountLocked: Sendable, Equatable {
    public var lockedAt: Date
    public var lockedUntil: Date
    /// Which lock-out this is since the last successful sign-in (1 for the first): each doubles the duration.
    public var lockNumber: Int

    public init(lockedAt: Date, lockedUntil: Date, lockNumber: Int) {
        self.lockedAt = lockedAt
        self.lockedUntil = lockedUntil
        self.lockNumber = lockNumber
    }
}
