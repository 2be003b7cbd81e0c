import Foundation

/// The events of the access stream: operators (added, disabled, their password reset, their sign-ins) and API
/// keys (created, revoked). Secrets never appear here: the password hash and the key's digest live in tables of
/// their own (`CustomerService`), and a session is not an event at all (it is coordination state that expires).
public enum AccessEvent: Sendable, Equatable {
    case operatorAdded(OperatorAdded)
    case operatorDisabled(OperatorDisabled)
    case operatorPasswordReset(OperatorPasswordReset)
    case operatorSignedIn(OperatorSignedIn)
    case operatorSignInFailed(OperatorSignInFailed)
    case operatorLockedOut(OperatorLockedOut)
    case apiKeyCreated(ApiKeyCreated)
    case apiKeyRevoked(ApiKeyRevoked)
}

public struct OperatorAdded: Sendable, Equatable {
    public let name: String
    public let role: AccessRole
    public let addedAt: Date
    public init(name: String, role: AccessRole, addedAt: Date) {
        self.name = name
        self.role = role
        self.addedAt = addedAt
    }
}

public struct OperatorDisabled: Sendable, Equatable {
    public let name: String
    public let disabledAt: Date
    public init(name: String, disabledAt: Date) {
        self.name = name
        self.disabledAt = disabledAt
    }
}

/// A new password was set by an administrator; every session of the operator ends with it.
public struct OperatorPasswordReset: Sendable, Equatable {
    public let name: String
    public let resetAt: Date
    public init(name: String, resetAt: Date) {
        self.name = name
        self.resetAt = resetAt
    }
}

public struct OperatorSignedIn: Sendable, Equatable {
    public let name: String
    public let signedInAt: Date
    public init(name: String, signedInAt: Date) {
        self.name = name
        self.signedInAt = signedInAt
    }
}

/// A wrong password for an existing, enabled operator; `consecutiveFailures` counts since the last success or
/// lock-out (what the lock-out rule decides on).
public struct OperatorSignInFailed: Sendable, Equatable {
    public let name: String
    public let failedAt: Date
    public let consecutiveFailures: Int
    public init(name: String, failedAt: Date, consecutiveFailures: Int) {
        self.name = name
        self.failedAt = failedAt
        self.consecutiveFailures = consecutiveFailures
    }
}

/// Too many wrong passwords in a row: sign-ins are refused until `lockedUntil`. `lockNumber` counts lock-outs
/// since the last success (each lasts twice as long as the one before, as the customers').
public struct OperatorLockedOut: Sendable, Equatable {
    public let name: String
    public let lockedUntil: Date
    public let lockNumber: Int
    public init(name: String, lockedUntil: Date, lockNumber: Int) {
        self.name = name
        self.lockedUntil = lockedUntil
        self.lockNumber = lockNumber
    }
}

public struct ApiKeyCreated: Sendable, Equatable {
    public let name: String
    public let role: AccessRole
    public let createdAt: Date
    public init(name: String, role: AccessRole, createdAt: Date) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }
}

public struct ApiKeyRevoked: Sendable, Equatable {
    public let name: String
    public let revokedAt: Date
    public init(name: String, revokedAt: Date) {
        self.name = name
        self.revokedAt = revokedAt
    }
}
