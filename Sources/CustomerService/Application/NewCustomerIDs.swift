import CompactCodec
import CustomerAggregate
import Foundation

/// The ids a create needs: the customer's and its tokens'. They are drawn before the write transaction, on the
/// caller's thread, so that a group commit's writer (the one thread every create waits for) spends none of its
/// time on random numbers.
struct NewCustomerIDs: Sendable {
    /// Time-ordered: the customer's keys land at the right edge of their tables.
    let customerId: CustomerID
    let verificationTokenId: UUID
    /// Non-nil exactly when the create sends a password token.
    let passwordTokenId: UUID?

    static func draw(sendPasswordToken: Bool) -> NewCustomerIDs {
        NewCustomerIDs(
            customerId: CustomerID(TimeOrderedUUID.next()), verificationTokenId: TokenCodec.newTokenId(),
            passwordTokenId: sendPasswordToken ? TokenCodec.newTokenId() : nil)
    }
}
