extension DomainError.Code {
    /// The new password breaks one or more rules of `PasswordPolicy`; see `problems` (field `password`).
    public static let passwordPolicy = DomainError.Code("passwordPolicy")
    /// Wrong customer, wrong password or no password: one generic message, so that a sign-in form never tells
    /// which customers exist or have a password.
    public static let authenticationFailed = DomainError.Code("authenticationFailed")
    /// Too many failed sign-ins in a row; the message says until when.
    public static let accountLocked = DomainError.Code("accountLocked")
    /// The password matched, but the store requires a verified email address to sign in.
    public static let notVerified = DomainError.Code("notVerified")
}
