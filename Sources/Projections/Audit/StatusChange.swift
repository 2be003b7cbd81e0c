import CustomerAggregate
import Foundation

/// One change of a customer's status, as the log records it.
public struct StatusChange: Sendable, Equatable {
    /// When the causing event was recorded.
    public var recordedAt: Date
    /// When the change took effect by the event's own account (`createdAt`/`verifiedAt`); for an import that
    /// says "registered on 2019-05-01" it is that day, not the day of the import.
    public var effectiveAt: Date
    public var customerId: CustomerID
    public var reference: CustomerReference?
    /// nil: the customer did not exist before.
    public var from: CustomerStatus?
    public var to: CustomerStatus
    public var causeType: String
    public var causePosition: UInt64
    public var actor: String

    public init(
        recordedAt: Date, effectiveAt: Date, customerId: CustomerID, reference: CustomerReference?,
        from: CustomerStatus?, to: CustomerStatus, causeType: String, causePosition: UInt64, actor: String
    ) {
        self.recordedAt = recordedAt
        self.effectiveAt = effectiveAt
        self.customerId = customerId
        self.reference = reference
        self.from = from
        self.to = to
        self.causeType = causeType
        self.causePosition = causePosition
        self.actor = actor
    }
}
