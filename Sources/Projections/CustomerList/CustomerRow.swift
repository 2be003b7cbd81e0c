import CustomerAggregate
import Foundation

/// One line of the back office's customer list: everything the list and `show` display, as of the last event.
public struct CustomerRow: Sendable, Equatable {
    public var customerId: CustomerID
    public var reference: CustomerReference
    public var profile: CustomerProfile
    public var status: CustomerStatus
    public var createdAt: Date
    public var verifiedAt: Date?
    /// The log position of the customer's `CustomerCreated`: unique, so it breaks every tie in the list order,
    /// and the key of the row.
    public var creationSequence: UInt64
    /// The address of a pending email change, when the reader filled it in from the directory (the list's tables
    /// do not hold it: it stops being pending when its link expires, without an event).
    public var pendingEmail: String?

    public init(
        customerId: CustomerID, reference: CustomerReference, profile: CustomerProfile, status: CustomerStatus,
        createdAt: Date, verifiedAt: Date?, creationSequence: UInt64
    ) {
        self.customerId = customerId
        self.reference = reference
        self.profile = profile
        self.status = status
        self.createdAt = createdAt
        self.verifiedAt = verifiedAt
        self.creationSequence = creationSequence
    }

    /// The row a `CustomerCreated` at `sequence` starts.
    init(created: CustomerCreated, sequence: UInt64) {
        self.init(
            customerId: created.customerId, reference: created.reference, profile: created.profile,
            status: .unverified, createdAt: created.createdAt, verifiedAt: nil, creationSequence: sequence)
    }

    /// The customer as shown (the same fields, names and labels as `show`).
    public var shownValues: [CustomerFieldValue] {
        CustomerShape.values(
            reference: reference, profile: profile, status: status, createdAt: createdAt, verifiedAt: verifiedAt,
            pendingEmail: pendingEmail)
    }
}
