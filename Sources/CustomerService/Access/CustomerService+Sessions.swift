import CustomerAggregate
import EventStore
import Foundation
import PasswordHashing

/// A signed-in browser of the back office: the cookie's session id (shown to the browser only), who it is,
/// and the CSRF token every form of that session carries.
public struct OperatorSession: Sendable, Equatable {
    public let id: String
    public let principal: Principal
    public let csrfToken: String
}

/// Operator sign-in and sessions, in the application layer so that every front end (the back office's pages
/// today) signs in the same way.
///
/// - A sign-in checks the password with no transaction open (yescrypt takes tens of milliseconds), then decides
///   on the access stream in one write transaction: a wrong password is counted (`OperatorSignInFailed`), the
///   one reaching `sign-in-max-failures` locks the operator out for `sign-in-lock` (the customers' settings); an
///   unknown or disabled name is refused with the same generic error, after the same amount of hashing.
/// - A session id is 256 bits from the system's secure random source (base64url, 43 characters); the table keeps
///   only its SHA-256. It ends after the policy's idle timeout or maximum age, at sign-out, and when the
///   operator is disabled or their password is reset.
/// - The CSRF token is an HMAC of the session id under the store's token key: bound to that session, never
///   stored, and useless for any other session.
extension CustomerService {
    static let sessionIdByteCount = 32
    static let csrfDomain = "backoffice-csrf"

    public func signInOperator(name input: String, password: String, policy: SessionPolicy = .standard, metadata: CommandMetadata) throws -> OperatorSession {
        guard let name = try? AccessName.canonical(input, field: "name") else {
            _ = try? Self.passwordHasher.verify(password, against: Self.operatorTimingHash)
            throw AccessDecider.signInRefused
        }
        for _ in 0..<3 {
            let stored = try store.read { try OperatorCredentials.hash(of: name, in: $0) }
            let matched = stored.map { (try? Self.passwordHasher.verify(password, against: $0)) ?? false }
            if stored == nil { _ = try? Self.passwordHasher.verify(password, against: Self.operatorTimingHash) }
            let sessionId = Base64URL.encode(SecureRandom.bytes(Self.sessionIdByteCount))
            let outcome: Result<Principal, DomainError>? = try store.write { writer in
                // A password reset between the check and this write: check again against the new hash.
                guard try OperatorCredentials.hash(of: name, in: writer) == stored else { return nil }
                let (state, version) = try loadAccess(in: writer)
                let now = try writer.recordingTime()
                let context = DecisionContext(now: now, settings: try loadSettings(in: writer))
                let events: [AccessEvent]
                do {
                    events = try AccessDecider.decide(.signIn(name: name, passwordMatched: matched ?? false), state: state, context: context)
                } catch let refusal as DomainError {
                    return .failure(refusal)
                }
                try writer.append(
                    events.map { $0.eventData(metadata: eventMetadata(metadata), sealing: PersonalDataSealer()) }, to: try StreamName(Self.accessStream),
                    expectedVersion: .exact(version))
                guard case .operatorSignedIn = events.first, let record = state.operators[name] else {
                    // Counted and committed; the lock-out that this failure caused says so.
                    for case .operatorLockedOut(let lock) in events {
                        return .failure(DomainError(.accountLocked, "Too many wrong passwords in a row: this operator is locked out until \(UTCTime.readable(lock.lockedUntil)); try again later"))
                    }
                    return .failure(AccessDecider.signInRefused)
                }
                try OperatorSessions.removeExpired(at: now, policy: policy, in: writer)
                try OperatorSessions.store(
                    SessionRecord(operatorName: name, role: record.role, createdAt: now, lastSeenAt: now),
                    OperatorSessions.digest(ofSessionId: sessionId), in: writer)
                return .success(Principal(kind: .operatorAccount, name: name, role: record.role))
            }
            switch outcome {
            case nil: continue
            case .failure(let error): throw error
            case .success(let principal):
                return OperatorSession(id: sessionId, principal: principal, csrfToken: csrfToken(forSession: sessionId))
            }
        }
        throw AccessDecider.signInRefused
    }

    /// The live session with this id, or nil (unknown, expired, revoked). A use refreshes the idle timer
    /// (written at most every `policy.refreshInterval`); an expired session is removed when met.
    public func operatorSession(id: String, policy: SessionPolicy = .standard) throws -> OperatorSession? {
        guard id.utf8.count <= 128, !id.isEmpty else { return nil }
        let digest = OperatorSessions.digest(ofSessionId: id)
        let now = clock()
        guard let record = try store.read({ try OperatorSessions.record(digest, in: $0) }) else { return nil }
        guard record.isLive(at: now, policy: policy) else {
            try store.write { try OperatorSessions.remove(digest, in: $0) }
            return nil
        }
        if now.timeIntervalSince(record.lastSeenAt) >= policy.refreshInterval {
            let stillThere = try store.write { writer -> Bool in
                guard var current = try OperatorSessions.record(digest, in: writer) else { return false }
                current.lastSeenAt = max(current.lastSeenAt, now)
                try OperatorSessions.store(current, digest, in: writer)
                return true
            }
            guard stillThere else { return nil }
        }
        return OperatorSession(
            id: id, principal: Principal(kind: .operatorAccount, name: record.operatorName, role: record.role),
            csrfToken: csrfToken(forSession: id))
    }

    /// Ends the session (sign-out); an unknown id is not an error (signing out twice is fine).
    public func signOut(sessionId id: String) throws {
        guard id.utf8.count <= 128, !id.isEmpty else { return }
        try store.write { try OperatorSessions.remove(OperatorSessions.digest(ofSessionId: id), in: $0) }
    }

    public func csrfToken(forSession id: String) -> String {
        Base64URL.encode(tokens.authenticationCode(domain: Self.csrfDomain, message: Array(id.utf8)))
    }

    /// Whether `token` is the CSRF token of session `id` (compared in constant time).
    public func isValidCSRFToken(_ token: String, forSession id: String) -> Bool {
        guard token.utf8.count <= 128, let presented = Base64URL.decode(token) else { return false }
        return ConstantTime.equals(presented, tokens.authenticationCode(domain: Self.csrfDomain, message: Array(id.utf8)))
    }

    /// A real yescrypt hash of a password nobody knows, checked when there is nothing to check against.
    static let operatorTimingHash: PasswordHash = {
        guard let hash = try? passwordHasher.hash(UUID().uuidString) else { fatalError("libxcrypt cannot hash") }
        return hash
    }()
}
