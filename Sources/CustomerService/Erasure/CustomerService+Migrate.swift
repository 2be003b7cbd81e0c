import CustomerAggregate
import EventStore
import Foundation
import Projections

public struct MigrationReport: Sendable {
    /// The store's format before (equal to `EventStore.formatVersion` when there was nothing to do).
    public let fromFormat: UInt32
    /// Events whose personal data moved from the log to the vault.
    public let sealedEvents: Int
    /// Directory keys rewritten in the layout of format 4 (references by number).
    public let rewrittenReferenceKeys: Int
    public let compaction: CompactionOutcome
}

extension CustomerService {
    /// `migrate`: brings an older store to the current format in one write transaction. In a store of format 1
    /// (personal data in the log) every stored event that carries personal data is sealed in place — same id,
    /// position, version, time, actor and type; its log payload becomes the public one and the whole payload goes
    /// to the vault. In every older store the directory's reference keys written as text are rewritten by number
    /// (format 4), and the format is recorded. Then the data file is compacted, since the old payloads are now
    /// free pages. kill -9 before the commit changes nothing (run it again); after it, the compaction is due and
    /// is done by the next `migrate`, `compact` or `forget`. Idempotent: a current store is left as it is.
    public func migrate() throws -> MigrationReport {
        let sealer = PersonalDataSealer()
        let result = try store.write { writer -> (UInt32, Int, Int) in
            let format = try writer.recordedFormatVersion()
            guard format < EventStore.formatVersion else { return (format, 0, 0) }
            guard format < EventStore.sealedFormatVersion else {
                // Sealed already: the log reads the same in either format; the directory's older keys change.
                let rewritten = try directory.migrateReferenceKeys(in: writer)
                try writer.recordFormatVersion(EventStore.formatVersion)
                return (format, 0, rewritten)
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
            let rewritten = try directory.migrateReferenceKeys(in: writer)
            try writer.recordFormatVersion(EventStore.formatVersion)
            return (format, toSeal.count, rewritten)
        }
        return MigrationReport(
            fromFormat: result.0, sealedEvents: result.1, rewrittenReferenceKeys: result.2, compaction: try compactIfPending())
    }
}
