import CustomerAggregate
import CustomerService

/// The credential commands of the application layer that the password page and the sign-in API call: setting a
/// password with a password-set link, and checking a sign-in. A protocol so that the pages depend on exactly
/// these two functions; `GroupCommittedCommands` is the one implementation (both group-committed).
///
/// Both throw `DomainError`: `passwordPolicy` (problems on field `password`), the token codes (`tokenUnknown`,
/// `tokenUsed`, `tokenExpired`, `tokenSuperseded`), `authenticationFailed`, `accountLocked`, `notVerified`.
public protocol CredentialCommands: Sendable {
    func setPassword(token: String, password: String, metadata: CommandMetadata) throws -> CommandOutcome
    /// The reference of the customer whose email and password these are; throws (or returns nil) otherwise.
    func signIn(email: String, password: String, metadata: CommandMetadata) throws -> String?
}

extension GroupCommittedCommands: CredentialCommands {
    public func signIn(email: String, password: String, metadata: CommandMetadata) throws -> String? {
        let outcome = try authenticate(customer: email, password: password, metadata: metadata)
        return outcome.succeeded ? outcome.reference : nil
    }
}
