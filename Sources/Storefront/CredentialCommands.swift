import CustomerAggregate
import CustomerService

/// The credential commands of the application layer that the password page and the sign-in API call: setting a
/// password with a password-set link, and checking a sign-in. Kept as a protocol so that the pages depend on
/// exactly these two functions.
///
/// Both throw `DomainError`: `passwordPolicy` (problems on field `password`), the token codes (`tokenUnknown`,
/// `tokenUsed`, `tokenExpired`, `tokenSuperseded`), `authenticationFailed`, `accountLocked`.
public protocol CredentialCommands: Sendable {
    func setPassword(token: String, password: String, metadata: CommandMetadata) throws -> CommandOutcome
    /// The reference of the customer whose email and password these are; throws (or returns nil) otherwise.
    func signIn(email: String, password: String, metadata: CommandMetadata) throws -> String?
}

extension DomainError.Code {
    /// The credential codes, by name, as the application layer defines them.
    static let passwordPolicy = DomainError.Code("passwordPolicy")
    static let authenticationFailed = DomainError.Code("authenticationFailed")
    static let accountLocked = DomainError.Code("accountLocked")
}
