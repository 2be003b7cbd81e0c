/// What a signed-in operator or an API key may do. Viewers read; agents also create customers and act on them;
/// admins also manage operators, API keys and the store's settings.
public enum AccessRole: String, Sendable, CaseIterable, Codable {
    case admin
    case agent
    case viewer

    /// Reading customers, their history, the audit and the outbox: every role.
    public var mayRead: Bool { true }
    /// Creating customers and every command on a customer (edit, change email, addresses, notes, tokens, forget).
    public var mayActOnCustomers: Bool { self != .viewer }
    /// Operators, API keys and settings.
    public var mayAdminister: Bool { self == .admin }
}
