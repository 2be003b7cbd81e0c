import EventStore

/// The access stream's secrets and coordination state, kept outside the append-only log: none of it may be in
/// the log (a hash, a digest of a live key or session), and none of it can be derived from the log, so the
/// rebuilder neither wipes nor compares these tables; `backup` copies them with the rest of the environment.
enum AccessTables {
    /// Operator name (UTF-8) → format byte 1 ‖ the encoded yescrypt hash.
    static let operatorCredentials = TableSpec("access.operator-credentials")
    /// SHA-256 of the session id (32 bytes) → `SessionRecord` (the id itself is only in the browser's cookie).
    static let sessions = TableSpec("access.sessions")
    /// SHA-256 of the API key (32 bytes) → format byte 1 ‖ role byte ‖ the key's name (UTF-8).
    static let apiKeys = TableSpec("access.api-keys")

    static let all = [operatorCredentials, sessions, apiKeys]
}
