import Foundation

/// The customer aggregate as a Decider (J. Chassaing): `decide` holds every business rule and returns the events a
/// command causes, `evolve` folds events into state, `initialState` is "no such customer".
///
/// Both are pure: no I/O, clock or randomness, so that a test reads "given these events, when this command, then
/// these events (or this error)" and a replay of the log always rebuilds the same state.
public enum CustomerDecider {
    public static let initialState = CustomerState()

    /// - Throws: only `DomainError`; nothing is to be written when it throws.
    public static func decide(
        _ command: CustomerCommand, state: CustomerState, context: DecisionContext
    ) throws(DomainError) -> [CustomerEvent] {
        switch command {
        case .create(let create):
            return try decideCreate(create, state: state, context: context)
        case .importCustomer(let row):
            return try decideImport(row, state: state, context: context)
        case .sendPasswordToken(let tokenId):
            return try decideSendPasswordToken(tokenId, state: state, context: context)
        case .verifyEmail(let tokenId):
            return try decideVerifyEmail(tokenId, state: state, context: context)
        case .resendVerification(let tokenId):
            return try decideResendVerification(tokenId, state: state, context: context)
        case .setPassword(let command):
            return try decideSetPassword(command, state: state, context: context)
        case .signIn(let command):
            return try decideSignIn(command, state: state, context: context)
        case .edit(let edit):
            return try decideEdit(edit, state: state, context: context)
        case .forget(let reason):
            return try decideForget(reason: reason, state: state, context: context)
        case .addAddress(let command):
            return try decideAddAddress(command, state: state)
        case .editAddress(let command):
            return try decideEditAddress(command, state: state)
        case .removeAddress(let addressId):
            return try decideRemoveAddress(addressId, state: state)
        case .addNote(let command):
            return try decideAddNote(command, state: state, context: context)
        case .withdrawNote(let command):
            return try decideWithdrawNote(command, state: state, context: context)
        case .changeEmail(let change):
            return try decideChangeEmail(change, state: state, context: context)
        case .confirmEmailChange(let confirm):
            return try decideConfirmEmailChange(confirm, state: state, context: context)
        }
    }

    /// The state after all `events`, oldest first.
    public static func replay<S: Sequence>(_ events: S) -> CustomerState where S.Element == CustomerEvent {
        events.reduce(initialState, evolve)
    }

    /// Every command but create and import needs an existing customer.
    static func requireExisting(_ state: CustomerState) throws(DomainError) {
        guard state.exists else {
            throw DomainError(.customerNotFound, "Customer not found")
        }
        guard state.erasedAt == nil else {
            throw DomainError(.customerErased, "\(state.displayName) was erased; nothing can be done for them any more")
        }
    }
}
