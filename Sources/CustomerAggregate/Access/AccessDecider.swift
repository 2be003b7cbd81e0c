import Foundation

/// The pure decider of the access stream: operators and API keys. No I/O; the clock and the store's sign-in
/// rules (`sign-in-max-failures`, `sign-in-lock`, shared with the customers') come in the `DecisionContext`.
public enum AccessDecider {
    public static let initialState = AccessState()

    public static func decide(_ command: AccessCommand, state: AccessState, context: DecisionContext) throws(DomainError) -> [AccessEvent] {
        let now = context.stamp
        switch command {
        case .addOperator(let name, let role):
            guard state.operators[name] == nil else {
                throw DomainError(.accessNameTaken, "An operator named \(name) already exists (names are never reused); choose another name",
                                  problems: [Problem(field: "name", message: "already used by an operator", rule: .nameTakenByOperator)])
            }
            return [.operatorAdded(OperatorAdded(name: name, role: role, addedAt: now))]
        case .disableOperator(let name):
            let record = try enabledOperator(name, in: state)
            return [.operatorDisabled(OperatorDisabled(name: record.name, disabledAt: now))]
        case .resetOperatorPassword(let name):
            let record = try enabledOperator(name, in: state)
            return [.operatorPasswordReset(OperatorPasswordReset(name: record.name, resetAt: now))]
        case .signIn(let name, let matched):
            return try decideSignIn(name: name, matched: matched, state: state, context: context)
        case .createApiKey(let name, let role):
            guard state.apiKeys[name] == nil else {
                throw DomainError(.accessNameTaken, "An API key named \(name) already exists (names are never reused); choose another name",
                                  problems: [Problem(field: "name", message: "already used by an API key", rule: .nameTakenByAPIKey)])
            }
            return [.apiKeyCreated(ApiKeyCreated(name: name, role: role, createdAt: now))]
        case .revokeApiKey(let name):
            guard let key = state.apiKeys[name], key.isActive else {
                throw DomainError(.apiKeyNotFound, "No active API key is named \(name); `customer-es api-key list` shows them",
                                  problems: [Problem(field: "name", message: "no active API key with this name", rule: .unknownAPIKey)])
            }
            return [.apiKeyRevoked(ApiKeyRevoked(name: name, revokedAt: now))]
        }
    }

    /// A sign-in: refused without counting while locked, or for an unknown or disabled operator (one generic
    /// refusal, nothing recorded, so the log does not fill with guesses at names); a wrong password is counted
    /// and the one that reaches `sign-in-max-failures` locks the operator out.
    static func decideSignIn(name: String, matched: Bool, state: AccessState, context: DecisionContext) throws(DomainError) -> [AccessEvent] {
        guard let record = state.operators[name], record.isEnabled else { throw signInRefused }
        let now = context.stamp
        if record.signIn.isLocked(at: context.now) {
            throw DomainError(.accountLocked, "This operator is locked out after repeated wrong passwords until \(UTCTime.readable(record.signIn.lockedUntil ?? now)); try again later")
        }
        guard matched else {
            let failures = record.signIn.consecutiveFailures + 1
            var events: [AccessEvent] = [.operatorSignInFailed(OperatorSignInFailed(name: name, failedAt: now, consecutiveFailures: failures))]
            if failures >= context.settings.signInMaxFailures {
                let number = record.signIn.locksSinceSuccess + 1
                let until = now.addingTimeInterval(context.settings.signInLock.delay(afterFailedAttempt: number))
                events.append(.operatorLockedOut(OperatorLockedOut(name: name, lockedUntil: until, lockNumber: number)))
            }
            return events
        }
        return [.operatorSignedIn(OperatorSignedIn(name: name, signedInAt: now))]
    }

    /// One message for every refused sign-in, so that the form never tells which operators exist.
    public static let signInRefused = DomainError(.authenticationFailed, "The operator name or the password is not correct")

    private static func enabledOperator(_ name: String, in state: AccessState) throws(DomainError) -> AccessState.OperatorRecord {
        guard let record = state.operators[name] else {
            throw DomainError(.operatorNotFound, "No operator is named \(name); `customer-es operator list` shows them",
                              problems: [Problem(field: "name", message: "no operator with this name", rule: .unknownOperator)])
        }
        guard record.isEnabled else {
            throw DomainError(.operatorDisabled, "Operator \(name) is disabled",
                              problems: [Problem(field: "name", message: "the operator is disabled", rule: .disabledOperator)])
        }
        return record
    }

    public static func evolve(_ state: AccessState, _ event: AccessEvent) -> AccessState {
        var next = state
        switch event {
        case .operatorAdded(let added):
            next.operators[added.name] = AccessState.OperatorRecord(
                name: added.name, role: added.role, addedAt: added.addedAt, disabledAt: nil, passwordResetAt: nil, signIn: SignInRecord())
        case .operatorDisabled(let disabled):
            next.operators[disabled.name]?.disabledAt = disabled.disabledAt
        case .operatorPasswordReset(let reset):
            next.operators[reset.name]?.passwordResetAt = reset.resetAt
            // A new password starts a clean count; a lock-out ends with it.
            next.operators[reset.name]?.signIn = SignInRecord(lastSignedInAt: state.operators[reset.name]?.signIn.lastSignedInAt)
        case .operatorSignedIn(let success):
            next.operators[success.name]?.signIn = SignInRecord(lastSignedInAt: success.signedInAt)
        case .operatorSignInFailed(let failure):
            next.operators[failure.name]?.signIn.consecutiveFailures = failure.consecutiveFailures
        case .operatorLockedOut(let lock):
            next.operators[lock.name]?.signIn.lockedUntil = lock.lockedUntil
            next.operators[lock.name]?.signIn.locksSinceSuccess = lock.lockNumber
            next.operators[lock.name]?.signIn.consecutiveFailures = 0
        case .apiKeyCreated(let created):
            next.apiKeys[created.name] = AccessState.ApiKeyRecord(name: created.name, role: created.role, createdAt: created.createdAt, revokedAt: nil)
        case .apiKeyRevoked(let revoked):
            next.apiKeys[revoked.name]?.revokedAt = revoked.revokedAt
        }
        return next
    }

    public static func replay(_ events: [AccessEvent]) -> AccessState {
        events.reduce(initialState, evolve)
    }
}
