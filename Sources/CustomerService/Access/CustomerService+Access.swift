import CustomerAggregate
import EventStore
import Foundation
import Projections

/// The access stream (`access`): operators and API keys decided by the pure `AccessDecider` and appended like
/// any other stream, with their secrets kept in `AccessTables`.
extension CustomerService {
    public static let accessStream = "access"

    func accessEvents(in reader: StoreReader) throws -> [RecordedEvent] {
        try reader.readStream(try StreamName(Self.accessStream))
    }

    func loadAccess(in reader: StoreReader) throws -> (AccessState, UInt64) {
        let recorded = try accessEvents(in: reader)
        return (AccessDecider.replay(try recorded.map(AccessEvent.decode)), recorded.last?.version ?? 0)
    }

    /// Decides `command` on the access state read inside `writer`'s transaction and appends what it decides;
    /// `alongside` writes the tables that change with the events (a hash, a digest), in the same transaction.
    func decideAccess(
        _ command: AccessCommand, metadata: CommandMetadata, message: String, in writer: StoreWriter, settings: StoreSettings, now: Date,
        alongside: (StoreWriter) throws -> Void = { _ in }
    ) throws -> CommandOutcome {
        let (state, version) = try loadAccess(in: writer)
        let events = try AccessDecider.decide(command, state: state, context: DecisionContext(now: now, settings: settings))
        let stream = try StreamName(Self.accessStream)
        let result = try writer.append(events.map { $0.eventData(metadata: eventMetadata(metadata), sealing: PersonalDataSealer()) }, to: stream, expectedVersion: .exact(version))
        try alongside(writer)
        return CommandOutcome(message: message, lastPosition: result.lastPosition)
    }

    /// Refuses `command` before any hashing when the decider would (an unknown, disabled or taken name).
    func precheckAccess(_ command: AccessCommand) throws {
        try store.read { reader in
            let (state, _) = try loadAccess(in: reader)
            _ = try AccessDecider.decide(command, state: state, context: DecisionContext(now: clock(), settings: try loadSettings(in: reader)))
        }
    }

    // MARK: Listings

    public func operators() throws -> [OperatorSummary] {
        try store.read { reader in
            let recorded = try accessEvents(in: reader)
            var state = AccessDecider.initialState
            var actors: [String: (added: String, disabled: String?, reset: String?)] = [:]
            for event in recorded {
                let decoded = try AccessEvent.decode(event)
                state = AccessDecider.evolve(state, decoded)
                switch decoded {
                case .operatorAdded(let added): actors[added.name] = (event.metadata.actor, nil, nil)
                case .operatorDisabled(let disabled): actors[disabled.name]?.disabled = event.metadata.actor
                case .operatorPasswordReset(let reset): actors[reset.name]?.reset = event.metadata.actor
                default: break
                }
            }
            return state.operators.values.sorted { $0.name < $1.name }.map { record in
                let who = actors[record.name]
                return OperatorSummary(
                    name: record.name, role: record.role, addedAt: record.addedAt, addedBy: who?.added ?? "",
                    disabledAt: record.disabledAt, disabledBy: who?.disabled, passwordResetAt: record.passwordResetAt,
                    passwordResetBy: who?.reset, lastSignedInAt: record.signIn.lastSignedInAt,
                    lockedUntil: record.signIn.isLocked(at: clock()) ? record.signIn.lockedUntil : nil)
            }
        }
    }

    public func apiKeys() throws -> [ApiKeySummary] {
        try store.read { reader in
            var state = AccessDecider.initialState
            var actors: [String: (created: String, revoked: String?)] = [:]
            for event in try accessEvents(in: reader) {
                let decoded = try AccessEvent.decode(event)
                state = AccessDecider.evolve(state, decoded)
                switch decoded {
                case .apiKeyCreated(let created): actors[created.name] = (event.metadata.actor, nil)
                case .apiKeyRevoked(let revoked): actors[revoked.name]?.revoked = event.metadata.actor
                default: break
                }
            }
            return state.apiKeys.values.sorted { $0.name < $1.name }.map { key in
                ApiKeySummary(
                    name: key.name, role: key.role, createdAt: key.createdAt, createdBy: actors[key.name]?.created ?? "",
                    revokedAt: key.revokedAt, revokedBy: actors[key.name]?.revoked)
            }
        }
    }
}
