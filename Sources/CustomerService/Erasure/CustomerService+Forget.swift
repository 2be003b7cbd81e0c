import CustomerAggregate
import EventStore
import Foundation
import Projections

/// What `forget` and `compact` did to the data file.
public enum CompactionOutcome: Sendable, Equatable {
    /// `data.mdb` was rewritten: no erased byte is left in it.
    case compacted
    /// Another process has the store open: the erased values stay in free space of `data.mdb` until a
    /// compaction runs with the store to itself (a running `serve` retries soon, `compact` does it at once).
    case deferred
    /// Nothing was due.
    case notNeeded
}

/// What happens to the data file once an erasure has committed.
public enum ErasureCompaction: Sendable {
    /// Compact now (when no other process has the store open). Only for a process that is about to exit — a CLI
    /// command: after a compaction this process's store is retired.
    case compactNow
    /// Leave the compaction pending: for a long-running process (`serve`), whose store must stay usable; it
    /// compacts soon after with `compactKeepingStoreOpenIfPending()`, or `customer-es compact` does it.
    case leavePending
}

public struct ForgetReport: Sendable {
    public let outcome: CommandOutcome
    /// How many events lost their personal data (vault entries erased).
    public let erasedEvents: Int
    public let compaction: CompactionOutcome
}

extension CustomerService {
    /// `forget CUSTOMER --reason TEXT`: in one write transaction, `CustomerForgotten` is appended (the
    /// projections drop the customer's data: the directory frees the email, the list keeps the reference and
    /// status with a blank profile, the outbox gives up undelivered emails and drops the address), the vault
    /// entries of every event of the customer are erased, and the password hash is deleted. Then the data file
    /// is compacted so that no erased byte survives in its free space.
    ///
    /// A store still in the format before sealing (its events hold personal data in the log) is refused until
    /// it is migrated: erasing the vault would not reach the log.
    public func forget(
        _ customer: String, reason: String, metadata: CommandMetadata, then compaction: ErasureCompaction
    ) throws -> ForgetReport {
        var erased = 0
        // By customer id, not by the text given: an email in the fingerprint would outlive the erasure.
        let target = (try? store.read { try resolve(customer, in: $0) })?.description ?? customer
        let outcome = try execute(metadata, fingerprint: RequestLog.fingerprint(["forget", target, reason])) { writer, settings, now in
            guard try writer.recordedFormatVersion() >= EventStore.sealedFormatVersion else {
                throw DomainError(
                    .storeNotMigrated,
                    "This store was written before personal data was kept apart from the log, so it cannot be erased yet; nothing was written",
                    remedy: .migrateStore)
            }
            let (id, state, version) = try loadCustomer(customer, in: writer)
            let events = try CustomerDecider.decide(
                .forget(reason: reason), state: state, context: DecisionContext(now: now, settings: settings))
            try store.markCompactionPending()
            let result = try append(events, to: id, expected: .exact(version), metadata: metadata, writer: writer)
            erased = try writer.erasePersonalData(of: try StreamName(id.streamName))
            let credentials = writer.table(CredentialTable.table)
            if let size = try writer.get(credentials, id.uuid.bytes, { $0.count }) {
                try writer.put(credentials, id.uuid.bytes, [UInt8](repeating: 0, count: size))
                _ = try writer.delete(credentials, id.uuid.bytes)
            }
            try RequestLog.forgetFingerprints(of: id, in: writer)
            let reference = state.reference?.description ?? ""
            return CommandOutcome(
                customerId: id, reference: reference, message: "Customer \(reference) was erased.",
                lastPosition: result.lastPosition)
        }
        let compacted: CompactionOutcome
        switch compaction {
        case .compactNow: compacted = try compactIfPending()
        case .leavePending: compacted = store.isCompactionPending ? .deferred : .notNeeded
        }
        return ForgetReport(outcome: outcome, erasedEvents: erased, compaction: compacted)
    }

    /// Compacts the data file when an erasure (or a migration) left old bytes in its free space. After a
    /// `.compacted`, this service's store is retired: the process must not use it again.
    public func compactIfPending() throws -> CompactionOutcome {
        try compactIfPending(store.compact)
    }

    /// The same for a process that goes on using this service (`serve`): its own requests are drained and wait
    /// while the file is swapped under the open store, then go on (see `EventStore.compactKeepingOpen`).
    public func compactKeepingStoreOpenIfPending() throws -> CompactionOutcome {
        try compactIfPending(store.compactKeepingOpen)
    }

    private func compactIfPending(_ compaction: () throws -> Void) throws -> CompactionOutcome {
        guard store.isCompactionPending else { return .notNeeded }
        do {
            try compaction()
            return .compacted
        } catch EventStoreError.inUseByAnotherProcess {
            return .deferred
        }
    }
}
