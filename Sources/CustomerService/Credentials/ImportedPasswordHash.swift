import CustomerAggregate
import PasswordHashing

extension CustomerService {
    /// The platform exports bcrypt hashes (`$2y$`, `$2a$`, `$2b$`); they become the customer's credential as they
    /// are (upgraded to yescrypt at the first successful sign-in). Anything else is a row error: a plaintext
    /// password or a hash of another scheme must never be stored as if it were one. The message never echoes
    /// the value.
    static func importedPasswordHash(_ value: String?) throws -> PasswordHash? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        let problem = Problem(field: "password", message: "must be a bcrypt hash ($2y$, $2a$ or $2b$) or empty")
        guard value.hasPrefix("$2y$") || value.hasPrefix("$2a$") || value.hasPrefix("$2b$"),
              let hash = try? PasswordHash(encoded: value), hash.algorithm == .bcrypt
        else {
            throw DomainError(.validationFailed, "Invalid password hash", problems: [problem])
        }
        return hash
    }
}
