import Foundation

/// "Set my password" through the link of a password-set email (`POST /password/restore`).
///
/// The caller has checked the token's secret and found the customer by the token id, and has already hashed the
/// password (hashing takes tens of milliseconds and must not run inside the write transaction); the decider
/// judges the password against the policy and the token against the customer's state. The hash itself never
/// reaches the domain: `algorithm` is what the event records.
public struct SetPassword: Sendable, Equatable {
    public var tokenId: UUID
    public var password: String
    public var algorithm: String
    public var commonPasswords: CommonPasswords

    public init(tokenId: UUID, password: String, algorithm: String, commonPasswords: CommonPasswords) {
        self.tokenId = tokenId
        self.password = password
        self.algorithm = algorithm
        self.commonPasswords = commonPasswords
    }
}

/// One sign-in attempt (`authenticate`, `POST /api/authenticate`). The password was checked against the stored
/// hash by the caller, outside the write transaction; the decider turns the result into the recorded outcome and
/// applies the lock-out and verification rules.
public struct SignIn: Sendable, Equatable {
    public enum PasswordCheck: Sendable, Equatable {
        case matched
        case mismatched
        /// The customer has no password yet.
        case noCredential
    }

    public var check: PasswordCheck
    /// Set when the password matched a hash of an outdated algorithm and the caller has a new hash ready: the
    /// algorithm it replaces the old one with.
    public var upgradeTo: String?
    public var upgradeFrom: String?

    public init(check: PasswordCheck, upgradeFrom: String? = nil, upgradeTo: String? = nil) {
        self.check = check
        self.upgradeFrom = upgradeFrom
        self.upgradeTo = upgradeTo
    }
}
