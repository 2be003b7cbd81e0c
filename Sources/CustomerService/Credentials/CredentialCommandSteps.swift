import CustomerAggregate
import PasswordHashing

/// A sign-in attempt whose password has been verified against the credential read then (the slow part, done with
/// no write transaction open); recording it is left.
struct CheckedSignIn {
    let customer: CustomerID
    /// What the caller named the customer by (the answer's reference if the customer has none).
    let asked: String
    /// The credential the password was verified against; the attempt is recorded only if it is still the current one.
    let stored: PasswordHash?
    let check: SignIn.PasswordCheck
    /// A yescrypt hash of the password, made because it matched an outdated hash.
    let upgrade: PasswordHash?
}

/// A recorded sign-in attempt: its events, turned into the answer once their transaction is durable.
struct RecordedSignIn {
    let events: [CustomerEvent]
    let reference: String
    let position: UInt64
}
