import Foundation

/// The customer's personal data was erased (right to erasure): from then on their earlier events read without
/// it, and only the reference, the statuses and the times remain. Carries no personal data itself; the reason
/// is the operator's (it must not quote the customer's data).
public struct CustomerForgotten: Sendable, Equatable {
    public var forgottenAt: Date
    public var reason: String

    public init(forgottenAt: Date, reason: String) {
        self.forgottenAt = forgottenAt
        self.reason = reason
    }
}
