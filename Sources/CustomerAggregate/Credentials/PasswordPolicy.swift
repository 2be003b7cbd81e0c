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
        var problems: [Problem] = []
        func broken(_ message: String, _ rule: Problem.Rule, _ arguments: [String: String] = [:]) {
            problems.append(Problem(field: field, message: message, rule: rule, arguments: arguments))
        }
        let length = password.count
        if length < minimumLength {
            broken("must be at least \(minimumLength) characters long (it has \(length))", .tooShort,
                   ["minimum": "\(minimumLength)", "actual": "\(length)"])
        } else if length > maximumLength {
            broken("must be at most \(maximumLength) characters long (it has \(length))", .tooLong,
                   ["maximum": "\(maximumLength)", "actual": "\(length)"])
        }
        if password.unicodeScalars.contains(where: { $0.value == 0 }) {
            broken("must not contain a NUL character", .containsNUL)
        }
        let folded = password.lowercased()
        if let profile {
            let localPart = String(profile.email.prefix { $0 != "@" })
            let parts: [(what: String, part: String, value: String)] = [
                ("the email address's local part", "emailLocalPart", localPart),
                ("the first name", "firstName", profile.firstName),
                ("the last name", "lastName", profile.lastName),
            ]
            for (what, part, value) in parts where value.count >= minimumPersonalPartLength {
                if folded.contains(value.lowercased()) { broken("must not contain \(what)", .containsPersonalData, ["part": part]) }
            }
        }
        if commonPasswords.contains(password) {
            broken("is one of the most common passwords; choose one that is harder to guess", .commonPassword)
        }
        return problems
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
