import Foundation

/// A successful sign-in. Every refusal is thrown as a `DomainError` instead (`.authenticationFailed`,
/// `.accountLocked`, `.notVerified`), after the attempt has been recorded.
public struct AuthenticationOutcome: Sendable, Equatable {
    public let reference: String
    /// Always true for a returned outcome (refusals throw); kept so that a front end can print it as it is.
    public let succeeded: Bool
    public let signedInAt: Date
    /// The stored hash was of an outdated algorithm (an imported bcrypt hash) and was replaced with yescrypt.
    public let rehashed: Bool
    /// The global position of the last event written.
    public let lastPosition: UInt64
}
