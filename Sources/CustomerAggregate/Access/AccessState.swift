import Foundation

/// What the access stream says now: every operator and API key ever added (names are never reused, so that an
/// actor name in the log always means one account), folded from `AccessEvent`s.
public struct AccessState: Sendable, Equatable {
    public struct OperatorRecord: Sendable, Equatable {
        public var name: String
        public var role: AccessRole
        public var addedAt: Date
        public var disabledAt: Date?
        public var passwordResetAt: Date?
        /// Lock-out bookkeeping, as the customers' (`SignInRecord`).
        public var signIn: SignInRecord

        public var isEnabled: Bool { disabledAt == nil }
    }

    public struct ApiKeyRecord: Sendable, Equatable {
        public var name: String
        public var role: AccessRole
        public var createdAt: Date
        public var revokedAt: Date?

        public var isActive: Bool { revokedAt == nil }
    }

    public var operators: [String: OperatorRecord] = [:]
    public var apiKeys: [String: ApiKeyRecord] = [:]

    public init() {}
}
