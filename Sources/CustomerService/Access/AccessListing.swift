import CustomerAggregate
import Foundation

/// One operator as `operator list` shows it: the account, and who added or disabled it (the actors of those
/// events), so that the list is its own audit trail.
public struct OperatorSummary: Sendable, Equatable {
    public let name: String
    public let role: AccessRole
    public let addedAt: Date
    public let addedBy: String
    public let disabledAt: Date?
    public let disabledBy: String?
    public let passwordResetAt: Date?
    public let passwordResetBy: String?
    public let lastSignedInAt: Date?
    public let lockedUntil: Date?

    public var isEnabled: Bool { disabledAt == nil }
}

/// One API key as `api-key list` shows it (never the key: only its digest is stored).
public struct ApiKeySummary: Sendable, Equatable {
    public let name: String
    public let role: AccessRole
    public let createdAt: Date
    public let createdBy: String
    public let revokedAt: Date?
    public let revokedBy: String?

    public var isActive: Bool { revokedAt == nil }
}
