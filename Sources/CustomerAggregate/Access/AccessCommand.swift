/// What an administrator (or a sign-in) asks of the access stream. Names are canonical (`AccessName`); the
/// password itself never reaches the decider, only whether it matched (`signIn`), since hashing is I/O-like work
/// done outside the write transaction.
public enum AccessCommand: Sendable, Equatable {
    case addOperator(name: String, role: AccessRole)
    case disableOperator(name: String)
    case resetOperatorPassword(name: String)
    /// `passwordMatched` is nil when the operator has no stored hash (never for an added operator).
    case signIn(name: String, passwordMatched: Bool)
    case createApiKey(name: String, role: AccessRole)
    case revokeApiKey(name: String)
}

extension DomainError.Code {
    /// `operator add` / `api-key create` with a name already used (names are never reused).
    public static let accessNameTaken = DomainError.Code("accessNameTaken")
    public static let operatorNotFound = DomainError.Code("operatorNotFound")
    /// `operator disable` / `reset-password` on a disabled operator.
    public static let operatorDisabled = DomainError.Code("operatorDisabled")
    public static let apiKeyNotFound = DomainError.Code("apiKeyNotFound")
    /// A principal whose role does not allow the command (HTTP 403).
    public static let forbidden = DomainError.Code("forbidden")
}
