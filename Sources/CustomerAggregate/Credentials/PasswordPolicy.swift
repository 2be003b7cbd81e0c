/// What a customer's new password must be. Every broken rule is reported at once, each on field `password`, so
/// that a form can show them all.
///
/// Length counts characters (grapheme clusters) as a person sees them: 12 keeps guessing out of reach at any
/// hashing cost, 128 bounds the work and stays under the hasher's byte limit for any text a person types.
/// Names and the email's local part are compared case-insensitively when they have 3 characters or more (a
/// shorter name is contained in too many good passwords to be a useful rule).
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 128
    /// Shorter names or local parts are not looked for in the password.
    public static let minimumPersonalPartLength = 3
    public static let field = "password"

    /// The broken rules, in a fixed order; empty when the password is acceptable.
    public static func problems(
        of password: String, for profile: CustomerProfile?, commonPasswords: CommonPasswords
    ) -> [Problem] {
        var messages: [String] = []
        let length = password.count
        if length < minimumLength {
            messages.append("must be at least \(minimumLength) characters long (it has \(length))")
        } else if length > maximumLength {
            messages.append("must be at most \(maximumLength) characters long (it has \(length))")
        }
        if password.unicodeScalars.contains(where: { $0.value == 0 }) {
            messages.append("must not contain a NUL character")
        }
        let folded = password.lowercased()
        if let profile {
            let localPart = String(profile.email.prefix { $0 != "@" })
            let parts: [(String, String)] = [
                ("the email address's local part", localPart),
                ("the first name", profile.firstName),
                ("the last name", profile.lastName),
            ]
            for (what, value) in parts where value.count >= minimumPersonalPartLength {
                if folded.contains(value.lowercased()) { messages.append("must not contain \(what)") }
            }
        }
        if commonPasswords.contains(password) {
            messages.append("is one of the most common passwords; choose one that is harder to guess")
        }
        return messages.map { Problem(field: field, message: $0) }
    }

    /// - Throws: `.passwordPolicy` with one problem per broken rule.
    public static func check(
        _ password: String, for profile: CustomerProfile?, commonPasswords: CommonPasswords
    ) throws(DomainError) {
        let problems = problems(of: password, for: profile, commonPasswords: commonPasswords)
        guard problems.isEmpty else { throw refusal(problems) }
    }

    /// The error for a refused password: its message ends with every broken rule, so that a front end showing
    /// only the message still says which rule.
    public static func refusal(_ problems: [Problem]) -> DomainError {
        DomainError(
            .passwordPolicy, "The password does not meet the password rules: " + problems.map(\.message).joined(separator: "; "),
            problems: problems)
    }
}
