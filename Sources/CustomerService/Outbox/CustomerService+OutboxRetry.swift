import CustomerAggregate
import EventStore
import Foundation
import Projections

/// Which dead emails `outbox retry` puts back in the queue.
public enum OutboxRetrySelection: Sendable, Equatable {
    /// These entries, each of which must be dead and given up (not "not sent on purpose").
    case entries([UUID])
    /// Every dead email that was given up (rejected, or out of attempts).
    case allGivenUp
}

extension DomainError.Code {
    /// `outbox retry` named an id that is no email of the outbox.
    public static let emailNotFound = DomainError.Code("emailNotFound")
    /// `outbox retry` named an email that is not dead, or that was not sent on purpose.
    public static let emailNotRetryable = DomainError.Code("emailNotRetryable")
}

extension CustomerService {
    /// Requeues dead emails: one `EmailRequeued` event per email (audited with the actor), after which the
    /// projection shows it pending again with its attempts counted from 0. Emails that were not sent on purpose
    /// (their link would not work) are not retried: a new one must be requested. A requeued email is checked again
    /// at dispatch like any other (an expired token still means "not sent").
    ///
    /// - Throws: `DomainError` (`emailNotFound`, `emailNotRetryable`) naming every id at fault; nothing is written then.
    public func retryDeadEmails(_ selection: OutboxRetrySelection, metadata: CommandMetadata) throws -> CommandOutcome {
        let fingerprint: [String]
        switch selection {
        case .entries(let ids): fingerprint = ["outbox retry"] + ids.map { $0.uuidString.lowercased() }
        case .allGivenUp: fingerprint = ["outbox retry", "--dead"]
        }
        return try execute(metadata, fingerprint: RequestLog.fingerprint(fingerprint)) { writer, _, now in
            let chosen = try retryableEntries(selection, in: writer)
            guard !chosen.isEmpty else {
                return CommandOutcome(message: "No dead emails to retry.", lastPosition: 0)
            }
            var last: UInt64 = 0
            for entry in chosen {
                let event = OutboxEvent.requeued(EmailRequeued(entryId: entry.id, requeuedAt: now, previousAttempts: entry.attempts))
                let data = EventData(
                    type: event.typeName, schemaVersion: event.schemaVersion, metadata: eventMetadata(metadata),
                    payload: event.encodePayload())
                last = try writer.append([data], to: try StreamName(OutboxEvent.streamName(forEntry: entry.id)), expectedVersion: .any).lastPosition
            }
            let count = chosen.count
            return CommandOutcome(
                message: "Requeued \(count) dead email\(count == 1 ? "" : "s"); `customer-es outbox dispatch` delivers "
                    + (count == 1 ? "it." : "them."),
                lastPosition: last)
        }
    }

    private func retryableEntries(_ selection: OutboxRetrySelection, in reader: StoreReader) throws -> [OutboxEntry] {
        switch selection {
        case .allGivenUp:
            return try outbox.allEntries(state: OutboxEntry.State.dead.name, in: reader).filter { entry in
                entry.deadReason.map { !$0.isNotSent } ?? true
            }
        case .entries(let ids):
            var chosen: [OutboxEntry] = []
            var problems: [Problem] = []
            var code = DomainError.Code.emailNotRetryable
            for id in ids where !chosen.contains(where: { $0.id == id }) {
                let name = id.uuidString.lowercased()
                guard let entry = try outbox.entry(id, in: reader) else {
                    problems.append(Problem(
                        field: name, message: "no email of the outbox has this id (see `customer-es outbox list`)",
                        rule: .unknownEmail, arguments: ["id": name]))
                    code = .emailNotFound
                    continue
                }
                guard entry.state == .dead else {
                    problems.append(Problem(
                        field: name, message: "the email is \(entry.state.name); only dead emails can be retried",
                        rule: .emailNotDead, arguments: ["id": name, "state": entry.state.name]))
                    continue
                }
                if let reason = entry.deadReason, reason.isNotSent {
                    problems.append(Problem(
                        field: name,
                        message: "the email was not sent on purpose (\(reason.rawValue)), retrying cannot help: \(entry.lastError ?? "")",
                        rule: .notSentOnPurpose, arguments: ["id": name, "reason": reason.rawValue]))
                    continue
                }
                chosen.append(entry)
            }
            guard problems.isEmpty else {
                let message = problems.count == 1 ? "Cannot retry \(problems[0].field): \(problems[0].message)"
                    : "Cannot retry \(problems.count) of the emails; nothing was requeued"
                throw DomainError(code, message, problems: problems)
            }
            return chosen
        }
    }
}
