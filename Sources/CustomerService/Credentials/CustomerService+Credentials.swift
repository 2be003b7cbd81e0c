import CustomerAggregate
import EventStore
import Foundation
import PasswordHashing

/// Passwords: set with a password-set link, checked at sign-in, upgraded from bcrypt to yescrypt.
///
/// Hashing and verifying take tens of milliseconds, so they never run inside a write transaction (the LMDB
/// writer lock is shared by every process of the store): each command first reads what it needs and hashes or
/// verifies with no transaction open, then decides and writes in one short write transaction (its own, or the one
/// a `CommandBatcher` shares among the requests of a server), checking again that what it read still holds.
extension CustomerService {
    static let passwordHasher: PasswordHasher = {
        // The default cost is inside the valid range by definition.
        guard let hasher = try? PasswordHasher() else { fatalError("PasswordHasher's default cost is invalid") }
        return hasher
    }()

    /// Sets the password of the customer whose live password token `token` is; the token is consumed, and an
    /// Unverified customer becomes Verified (the link arrived in that inbox). Writes in a transaction of its own.
    ///
    /// - Throws: `DomainError` `.tokenUnknown` / `.tokenUsed` / `.tokenExpired` / `.tokenSuperseded`, or
    ///   `.passwordPolicy` with one problem per broken rule (field `password`); nothing is written.
    public func setPassword(token: String, password: String, metadata: CommandMetadata) throws -> CommandOutcome {
        try setPassword(token: token, password: password, metadata: metadata, writing: { body in try store.write(body) })
    }

    /// `setPassword`, with its decide-and-append step run by `writing`: in a transaction of its own, or in one that
    /// a `CommandBatcher` shares with the other commands waiting for the writer. The token, the policy and the
    /// hashing are checked and done before, with no write transaction open; the step inside decides again, so a
    /// token consumed meanwhile (by a concurrent request of the same batch, say) is refused there.
    func setPassword(
        token: String, password: String, metadata: CommandMetadata, writing: WriteStep<CommandOutcome>
    ) throws -> CommandOutcome {
        // The password is not part of the fingerprint: the request log must not hold an unsalted digest of it.
        let fingerprint = RequestLog.fingerprint(["set-password", token])
        guard let tokenId = tokens.tokenId(from: token, kind: .passwordSet) else { throw Self.unknownPasswordToken }
        let command = SetPassword(
            tokenId: tokenId, password: password, algorithm: PasswordAlgorithm.yescrypt.rawValue,
            commonPasswords: CommonPasswordList.shared)

        // A rejection (bad token, weak password) is decided before any hashing; a retry of a request that
        // committed skips straight to its stored answer.
        let isRetry = try store.read { reader -> Bool in
            if let requestID = metadata.requestID,
               try RequestLog.previousOutcome(of: requestID, fingerprint: fingerprint, in: reader) != nil {
                return true
            }
            let id = try customer(withPasswordToken: tokenId, in: reader)
            let (state, _) = try loadCustomer(id, in: reader)
            _ = try CustomerDecider.decide(.setPassword(command), state: state, context: DecisionContext(now: clock(), settings: try loadSettings(in: reader)))
            return false
        }
        let hash = isRetry ? nil : try Self.hashNewPassword(password)

        return try writing { [self] writer in
            try execute(metadata, fingerprint: fingerprint, in: writer) { writer, settings, now in
                let id = try customer(withPasswordToken: tokenId, in: writer)
                let (state, version) = try loadCustomer(id, in: writer)
                // Only a retry comes here without a hash, and `execute` answers a retry before calling this.
                guard let hash else { throw Self.unknownPasswordToken }
                let outcome = try decideAndAppend(
                    .setPassword(command), to: id, state: state, version: version, message: "The password was set.",
                    settings: settings, now: now, metadata: metadata, writer: writer)
                try CredentialTable.store(hash, for: id, in: writer)
                return outcome
            }
        }
    }

    /// Checks `password` for `customer` (a reference or an email) and records the attempt (`history` shows it,
    /// never the password). A bcrypt hash that matches is replaced with a yescrypt one (`PasswordRehashed`).
    /// Records in a write transaction of its own.
    ///
    /// - Throws: `DomainError` `.authenticationFailed` (unknown customer, no password or wrong password: one
    ///   generic message), `.accountLocked` (with until when), `.notVerified`; the attempt is recorded first.
    public func authenticate(customer: String, password: String, metadata: CommandMetadata) throws -> AuthenticationOutcome {
        try authenticate(customer: customer, password: password, metadata: metadata, writing: { body in try store.write(body) })
    }

    /// `authenticate`, with the recording step run by `writing` (a transaction of its own, or a batch's). The
    /// password is verified (and a new hash made for an upgrade) before, with no write transaction open; the step
    /// inside decides on the state as it is then, so a lock-out decided meanwhile holds, and a credential changed
    /// meanwhile (a password set, another sign-in's upgrade) sends the attempt back to be checked again.
    func authenticate(
        customer: String, password: String, metadata: CommandMetadata, writing: WriteStep<RecordedSignIn?>
    ) throws -> AuthenticationOutcome {
        for _ in 0..<3 {
            let checked = try checkPassword(password, of: customer)
            let recorded = try writing { [self] writer in try record(checked, metadata: metadata, in: writer) }
            guard let recorded else { continue }
            return try Self.outcome(of: recorded.events, reference: recorded.reference, lastPosition: recorded.position)
        }
        throw Self.authenticationFailed
    }

    /// The slow half of a sign-in, in no write transaction: reads the credential and verifies the password.
    private func checkPassword(_ password: String, of customer: String) throws -> CheckedSignIn {
        let hasher = Self.passwordHasher
        let snapshot = try store.read { reader -> (CustomerID, PasswordHash?)? in
            let id: CustomerID
            do {
                id = try resolve(customer, in: reader)
            } catch let error as DomainError where error.code == .customerNotFound {
                return nil
            }
            return (id, try CredentialTable.hash(of: id, in: reader))
        }
        guard let (id, stored) = snapshot else {
            // As slow as a real check, so that timing does not tell which customers exist.
            _ = try? hasher.verify(password, against: Self.timingHash)
            throw Self.authenticationFailed
        }
        guard let stored else {
            _ = try? hasher.verify(password, against: Self.timingHash)
            return CheckedSignIn(customer: id, asked: customer, stored: nil, check: .noCredential, upgrade: nil)
        }
        // A password the hasher refuses (NUL, too long) cannot be the stored one.
        let matched = (try? hasher.verify(password, against: stored)) ?? false
        let upgrade = matched && hasher.needsUpgrade(stored) ? try Self.hashNewPassword(password) : nil
        return CheckedSignIn(customer: id, asked: customer, stored: stored, check: matched ? .matched : .mismatched, upgrade: upgrade)
    }

    /// The quick half, inside a write transaction: decides the attempt on the customer's current state and
    /// appends it; nil (nothing written) if the credential is no longer the one that was checked.
    private func record(_ checked: CheckedSignIn, metadata: CommandMetadata, in writer: StoreWriter) throws -> RecordedSignIn? {
        let id = checked.customer
        guard try CredentialTable.hash(of: id, in: writer) == checked.stored else { return nil }
        let (state, version) = try loadCustomer(id, in: writer)
        let signIn = SignIn(
            check: checked.check, upgradeFrom: checked.upgrade == nil ? nil : checked.stored?.algorithm.rawValue,
            upgradeTo: checked.upgrade?.algorithm.rawValue)
        let context = DecisionContext(now: try writer.recordingTime(), settings: try loadSettings(in: writer))
        let events = try CustomerDecider.decide(.signIn(signIn), state: state, context: context)
        let result = try append(events, to: id, expected: .exact(version), metadata: metadata, writer: writer)
        if let upgrade = checked.upgrade, events.contains(where: { if case .passwordRehashed = $0 { true } else { false } }) {
            try CredentialTable.store(upgrade, for: id, in: writer)
        }
        return RecordedSignIn(events: events, reference: state.reference?.description ?? checked.asked, position: result.lastPosition)
    }

    /// The attempt's events as an answer: success, or the refusal they record.
    private static func outcome(of events: [CustomerEvent], reference: String, lastPosition: UInt64) throws -> AuthenticationOutcome {
        var rehashed = false
        var signedInAt: Date?
        // The wrong password that locks the account says so, rather than the generic failure.
        for case .accountLocked(let lock) in events { throw locked(until: lock.lockedUntil, justNow: true) }
        for event in events {
            switch event {
            case .signInSucceeded(let success): signedInAt = success.signedInAt
            case .passwordRehashed: rehashed = true
            case .signInFailed(let failure) where failure.reason == .locked:
                throw locked(until: nil, justNow: false)
            case .signInFailed(let failure) where failure.reason == .notVerified:
                throw DomainError(
                    .notVerified,
                    "The email address of \(reference) is not verified yet; confirm it with the link in the verification email "
                        + "(or send a new one with `customer-es resend-verification \(reference)`) before signing in")
            case .signInFailed:
                throw authenticationFailed
            default:
                break
            }
        }
        guard let signedInAt else { throw authenticationFailed }
        return AuthenticationOutcome(reference: reference, succeeded: true, signedInAt: signedInAt, rehashed: rehashed, lastPosition: lastPosition)
    }

    private static func locked(until: Date?, justNow: Bool) -> DomainError {
        let when = until.map { " until \(UTCTime.readable($0))" } ?? ""
        let why = justNow ? "Too many wrong passwords in a row: the account is now locked" : "The account is locked"
        return DomainError(.accountLocked, "\(why)\(when) after repeated wrong passwords; try again later")
    }

    static let authenticationFailed = DomainError(.authenticationFailed, "The customer or the password is not correct")

    static let unknownPasswordToken = DomainError(
        .tokenUnknown,
        "This password token is unknown: check that the whole link was used, or request a new email with `customer-es send-password-token CUSTOMER`",
        problems: [Problem(field: "token", message: "unknown token", rule: .unknownToken)])

    /// A real yescrypt hash of a password nobody knows, checked when there is nothing to check against.
    private static let timingHash: PasswordHash = {
        guard let hash = try? passwordHasher.hash(UUID().uuidString) else { fatalError("libxcrypt cannot hash") }
        return hash
    }()

    /// yescrypt; the hasher's own limits (a NUL, more than 511 bytes) become policy problems on `password`.
    static func hashNewPassword(_ password: String) throws -> PasswordHash {
        let result = Result { () throws(PasswordHashingError) -> PasswordHash in try passwordHasher.hash(password) }
        switch result {
        case .success(let hash):
            return hash
        case .failure(let error):
            guard error.code == .passwordContainsNUL || error.code == .passwordTooLong else { throw error }
            let rule: Problem.Rule = error.code == .passwordContainsNUL ? .containsNUL : .passwordTooManyBytes
            throw PasswordPolicy.refusal([Problem(
                field: PasswordPolicy.field, message: error.message, rule: rule,
                arguments: rule == .passwordTooManyBytes ? ["maximum": "\(PasswordHasher.maximumPasswordBytes)"] : [:])])
        }
    }

    private func customer(withPasswordToken tokenId: UUID, in reader: StoreReader) throws -> CustomerID {
        guard let (id, purpose) = try directory.customer(withToken: tokenId, in: reader), purpose == .passwordSet else {
            throw Self.unknownPasswordToken
        }
        return id
    }
}
