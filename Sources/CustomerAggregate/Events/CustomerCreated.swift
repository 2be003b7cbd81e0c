import Foundation

/// How a customer came to exist; shown in `history` and kept for the audit.
public enum CustomerOrigin: String, CaseIterable, Sendable {
    /// `customer-es create` (the back office's "Create customer").
    case backOffice = "back-office"
    /// `customer-es import`.
    case `import` = "import"
}

/// A customer exists, Unverified, with this profile.
public struct CustomerCreated: Sendable, Equatable {
    public var customerId: CustomerID
    public var reference: CustomerReference
    public var profile: CustomerProfile
    public var createdAt: Date
    public var origin: CustomerOrigin

    public init(
        customerId: CustomerID, reference: CustomerReference, profile: CustomerProfile, createdAt: Date,
        origin: CustomerOrigin
    ) {
        self.customerId = customerId
        self.reference = reference
        self.profile = profile
        self.createdAt = createdAt
        self.origin = origin
    }
}
