import CustomerAggregate
import Foundation

extension CustomerService {
    /// Decides `command` on the customer's latest state inside the write transaction and appends what it
    /// decides right after the version it read: concurrent commands on one customer from several processes are
    /// applied one after the other (the write lock orders them), none lost, and the ids they hand out (`A3`,
    /// `N7`) never collide. A command that decides nothing writes nothing and answers `nothingChanged`.
    func decideOnLatestState(
        _ customer: String, _ command: CustomerCommand, fingerprint: [String], metadata: CommandMetadata,
        nothingChanged: String = "Nothing changed.", message: @escaping (CustomerEvent) -> String
    ) throws -> CommandOutcome {
        try execute(metadata, fingerprint: RequestLog.fingerprint(fingerprint)) { writer, settings, now in
            let (id, state, version) = try loadCustomer(customer, in: writer)
            let events = try CustomerDecider.decide(command, state: state, context: DecisionContext(now: now, settings: settings))
            guard let first = events.first else {
                return CommandOutcome(customerId: id, reference: state.reference?.description, message: nothingChanged, lastPosition: 0)
            }
            let result = try append(events, to: id, expected: .exact(version), metadata: metadata, writer: writer)
            return CommandOutcome(
                customerId: id, reference: state.reference?.description, message: message(first),
                lastPosition: result.lastPosition, addedId: first.addedId)
        }
    }
}

extension CustomerEvent {
    /// The id an adding event hands out.
    var addedId: String? {
        switch self {
        case .address(.added(let added)): return added.addressId.description
        case .note(.added(let added)): return added.noteId.description
        default: return nil
        }
    }
}
