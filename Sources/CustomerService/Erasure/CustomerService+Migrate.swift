import CustomerAggregate
import EventStore
import Foundation
import Projections

public struct MigrationReport: Sendable {
    /// The store's format before (equal to `EventStore.formatVersion` when there was nothing to do).
    public let fromFormat: UInt32
    /// Events whose personal data moved from the log to the vault.
    public let sealedEvents: Int
    public let compaction: CompactionOutcome
}

extension CustomerService {
    /// `migrate`: brings a store of format 1 (personal data in the log) to the current format in one write
    /// transaction: every stored event that carries personal data is sealed in place — same id, position,
    /// version, time, actor and type; its log payload becomes the public one and the whole payload goes to the
    /// vault — and the format is recorded. Then the data file is compacted, since the old payloads are now free
    /// pages. kill -9 before the commit changes nothing (run it again); after it, the compaction is due and is
    /// done by the next `migrate`, `compact` or `forget`. Idempotent: a current store is left as it is.
    public func migrate() throws -> MigrationReport {
        let sealer = PersonalDataSealer()
        let result = try store.write { writer -> (UInt32, Int) in
            let format = try writer.recordedFormatVersion()
            guard format < EventStore.formatVersion else { return (format, 0) }
            guard format < EventStore.sealedFormatVersion else {
                // Sealed already: only the label changes (the log reads the same in either format).
                try writer.recordFormatVersion(EventStore.formatVersion)
                return (format, 0)
            }
            var toSeal: [(position: UInt64, payload: [UInt8], publicPayload: [UInt8])] = []
            try writer.forEachEvent { view in
                guard !view.isSealed, let split = EventCatalog.publicPayloads[view.type] else { return true }
                let event = try view.materialize()
                if let publicPayload = try split(event) {
                    toSeal.append((event.position, event.payload, publicPayload))
                }
                return true
            }
            if !toSeal.isEmpty { try store.markCompactionPending() }
            for item in toSeal {
                try writer.sealStoredEvent(
                    at: item.position, seal: sealer.seal(payload: item.payload, publicPayload: item.publicPayload),
                    payload: item.payload)
            }
            try writer.recordFormatVersion(EventStore.formatVersion)
            return (format, toSeal.count)
        }
        return MigrationReport(fromFormat: result.0, sealedEvents: result.1, compaction: try compactIfPending())
    }
}
