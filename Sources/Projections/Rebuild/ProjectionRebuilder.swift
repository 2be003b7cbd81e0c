import CompactCodec
import EventStore
import Foundation

/// Rebuilds every projection of a catalog from the log, or checks the live ones against a rebuild, while other
/// processes keep reading and appending.
///
/// How (the protocol every rebuildable projection takes part in):
/// 1. **Start** (one write transaction): record a run id in `projection-state`, empty each projection's shadow
///    tables (`.copy`: the `.shadow` tables; `.switchTableSet`: the idle table set).
/// 2. **Replay in chunks**: each write transaction replays the next `chunkSize` log positions into the shadow
///    tables and records how far it got, then commits. Writers of other processes get the lock between chunks,
///    so appends continue (and keep the *live* tables current inline); readers never wait. A chunk stays far
///    below LMDB's transaction limits.
/// 3. **Go live** (one write transaction, once less than a chunk is left): replay the rest up to the head —
///    nobody can append meanwhile — then make the shadow live (`.copy`: empty the live tables and copy the
///    shadow rows in key order; `.switchTableSet`: rewrite the active-set record) and set each projection's
///    checkpoint to the head. Readers see the old projection or the new one, never a mix.
/// 4. **Clean up** (separate transaction): empty the tables that are no longer live.
///
/// Crash safety: until step 3 commits, only shadow tables and the run record were written, and nothing reads
/// them; after a kill -9 the live projection is intact and in step with the log, and the next `rebuild` starts
/// over (step 1 empties the shadow). Step 3 is one transaction, so it happened entirely or not at all. Running
/// `rebuild` twice gives the same bytes. If a second rebuild starts while one runs, the first notices that the
/// run id changed at its next chunk and stops with `ProjectionError.rebuildSuperseded`, without touching the
/// live tables.
///
/// `verify` runs steps 1–2, then in its last transaction catches up and compares the shadow with the live
/// tables entry by entry (so both are at the same log position), and cleans up: the live projection is not
/// changed.
public struct ProjectionRebuilder: Sendable {
    public static let maximumReportedDifferences = 100

    public let store: EventStore
    public let catalog: ProjectionCatalog
    /// Log positions replayed per write transaction.
    public var chunkSize: UInt64
    /// Whether projections that support it (the customer list) are first loaded in memory and written in key
    /// order (see `CustomerListBulkLoader`), before the chunked replay takes over.
    public var bulkLoad = true
    /// Log positions per read transaction of the bulk phase (short snapshots: a long one pins freed pages).
    var bulkReadChunk = 250_000
    /// Bytes (keys and values) per write transaction of the bulk phase: a commit waits for the disk, so fewer,
    /// larger ones are faster, but each holds the store's single writer lock (other processes' commands wait).
    /// 48 MB is about 0.1–0.2 s of lock per transaction.
    var bulkTransactionBytes = 48 << 20
    /// Customers a bulk loader holds at most (about 250 bytes each while loading: 2 M ≈ half a gigabyte); the
    /// chunked replay continues after them.
    public var bulkCustomerLimit = 2_000_000
    /// Tests only: stop like a killed process (no final transaction, no clean-up) after this many chunks.
    var abandonAfterChunks: Int?

    struct Abandoned: Error {}

    /// `store` must have been opened with the catalog's tables (`ProjectionCatalog.inlineProjections` and
    /// `additionalTables`): every table is opened at start-up, never later.
    public init(store: EventStore, catalog: ProjectionCatalog, chunkSize: UInt64 = 50_000) throws {
        let missing = (catalog.projections.flatMap(\.tables) + catalog.additionalTables).filter { !store.hasTable($0) }
        guard missing.isEmpty else {
            throw ProjectionError.missingTables(missing.map(\.name).joined(separator: ", "))
        }
        self.store = store
        self.catalog = catalog
        self.chunkSize = max(1, chunkSize)
    }

    @discardableResult
    public func rebuild(progress: (RebuildProgress) -> Void = { _ in }) throws -> RebuildReport {
        let outcome = try run(verifying: false, progress: progress)
        return RebuildReport(
            position: outcome.position, eventsReplayed: outcome.position, duration: outcome.duration,
            eventsPerSecond: outcome.rate, projections: catalog.projections.map(\.name))
    }

    public func verify(progress: (RebuildProgress) -> Void = { _ in }) throws -> VerifyReport {
        let outcome = try run(verifying: true, progress: progress)
        return VerifyReport(
            position: outcome.position, eventsReplayed: outcome.position, duration: outcome.duration,
            differences: outcome.differences, differenceCount: outcome.differenceCount)
    }

    // MARK: The run

    /// Which tables are live and which are rebuilt, per projection, for one run.
    private struct Plan {
        let projection: any RebuildableProjection
        let live: any RebuildableProjection
        let shadow: any RebuildableProjection
        /// For `.switchTableSet`: the suffix that becomes live.
        let shadowSuffix: String?
    }

    private struct Outcome {
        var position: UInt64 = 0
        var duration: TimeInterval = 0
        var rate: Double = 0
        var differences: [ProjectionDifference] = []
        var differenceCount = 0
    }

    private func run(verifying: Bool, progress: (RebuildProgress) -> Void) throws -> Outcome {
        let runID = UUID()
        let started = Date()
        let plans: [Plan] = try store.write { writer in
            let plans = try catalog.projections.map { try plan(for: $0, in: writer) }
            for plan in plans {
                for table in plan.shadow.tables where table != ActiveTableSet.table {
                    try writer.removeAll(writer.table(table))
                }
            }
            try RunRecord(id: runID, position: 0).save(in: writer)
            return plans
        }

        var starts = [UInt64](repeating: 0, count: plans.count)
        if bulkLoad {
            starts = try loadInBulk(plans, runID: runID, started: started, progress: progress)
        }

        var outcome = Outcome()
        var chunks = 0
        while true {
            let step: (position: UInt64, head: UInt64, finished: Bool) = try store.write { writer in
                guard let record = try RunRecord.load(in: writer), record.id == runID else {
                    throw ProjectionError.rebuildSuperseded
                }
                let head = try writer.headPosition()
                let finished = head - min(head, record.position) <= chunkSize
                let target = finished ? head : record.position + chunkSize
                try replay(after: record.position, through: target, into: plans, starts: starts, in: writer)
                if finished {
                    if verifying {
                        (outcome.differences, outcome.differenceCount) = try compare(plans, in: writer)
                    } else {
                        try goLive(plans, position: head, in: writer)
                    }
                    try RunRecord.delete(in: writer)
                } else {
                    try RunRecord(id: runID, position: target).save(in: writer)
                }
                return (target, head, finished)
            }
            let elapsed = max(Date().timeIntervalSince(started), 1e-6)
            let rate = Double(step.position) / elapsed
            let left = step.head - min(step.head, step.position)
            progress(RebuildProgress(
                processed: step.position, total: step.head, eventsPerSecond: rate,
                eta: rate > 0 ? Double(left) / rate : nil, isFinished: step.finished))
            chunks += 1
            if let abandonAfterChunks, chunks >= abandonAfterChunks, !step.finished { throw Abandoned() }
            if step.finished {
                outcome.position = step.position
                outcome.duration = elapsed
                outcome.rate = rate
                break
            }
        }
        try cleanUp(plans, verifying: verifying)
        return outcome
    }

    private func plan(for projection: any RebuildableProjection, in writer: StoreWriter) throws -> Plan {
        switch projection.swapMethod {
        case .copy:
            return Plan(
                projection: projection, live: projection.withTableSuffix(""),
                shadow: projection.withTableSuffix(ProjectionCatalog.shadowSuffix), shadowSuffix: nil)
        case .switchTableSet(let alternate):
            let active = try ActiveTableSet.suffix(of: projection.name, in: writer)
            let idle = active == alternate ? "" : alternate
            return Plan(
                projection: projection, live: projection.withTableSuffix(active),
                shadow: projection.withTableSuffix(idle), shadowSuffix: idle)
        }
    }

    /// The bulk phase: feeds the log, in read transactions of `bulkReadChunk` positions, to the loaders of the
    /// projections that have one, then lets each write its tables. Returns, per plan, the position its shadow
    /// reached (0 for projections without a loader).
    private func loadInBulk(
        _ plans: [Plan], runID: UUID, started: Date, progress: (RebuildProgress) -> Void
    ) throws -> [UInt64] {
        let logSize = try store.headPosition()
        var loaders: [(plan: Int, loader: any BulkLoader)] = plans.enumerated().compactMap { index, plan in
            (plan.shadow as? BulkLoadable).map { (index, $0.makeBulkLoader(customerLimit: bulkCustomerLimit, logSize: logSize)) }
        }
        guard !loaders.isEmpty else { return [UInt64](repeating: 0, count: plans.count) }
        var accepting = loaders.map(\.loader)
        var next: UInt64 = 1
        while !accepting.isEmpty {
            let (head, reached): (UInt64, UInt64) = try store.read { reader in
                let head = try reader.headPosition()
                var reached = next - 1
                var taken = 0
                if accepting.count == 1 {
                    // The usual case, without touching the array per event.
                    let loader = accepting[0]
                    try reader.forEachEvent(from: next) { view in
                        guard try loader.add(view) else {
                            accepting.removeAll()
                            return false
                        }
                        reached = view.position
                        taken += 1
                        return taken < bulkReadChunk
                    }
                    return (head, reached)
                }
                try reader.forEachEvent(from: next) { view in
                    var index = 0
                    while index < accepting.count {  // a full loader drops out (no array per event)
                        if try accepting[index].add(view) { index += 1 } else { accepting.remove(at: index) }
                    }
                    guard !accepting.isEmpty else { return false }
                    reached = view.position
                    taken += 1
                    return taken < bulkReadChunk
                }
                return (head, reached)
            }
            let elapsed = max(Date().timeIntervalSince(started), 1e-6)
            let rate = Double(reached) / elapsed
            progress(RebuildProgress(
                processed: reached, total: head, eventsPerSecond: rate,
                eta: rate > 0 ? Double(head - min(head, reached)) / rate : nil, isFinished: false))
            if reached >= head || reached < next { break }
            next = reached + 1
        }
        // Where each shadow will be once written; the last write transaction records where they all are.
        var starts = [UInt64](repeating: 0, count: plans.count)
        for (plan, loader) in loaders { starts[plan] = loader.lastPosition }
        let common = starts.min() ?? 0
        for (index, (_, loader)) in loaders.enumerated() {
            try loader.write(transactionBytes: bulkTransactionBytes) { body in
                try store.write { writer in
                    guard try RunRecord.load(in: writer)?.id == runID else { throw ProjectionError.rebuildSuperseded }
                    try body(writer)
                }
            } lastly: { writer in
                if index == loaders.count - 1 && common > 0 { try RunRecord(id: runID, position: common).save(in: writer) }
            }
        }
        // Hundreds of megabytes at a million customers: released on another thread while this one goes live.
        let retired = UncheckedSendable(loaders)
        loaders.removeAll()
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(retired) {} }
        return starts
    }

    /// Replays positions `(after, through]` into every shadow (each only after its own start), copying out of
    /// the map only the events some projection wants.
    private func replay(after: UInt64, through: UInt64, into plans: [Plan], starts: [UInt64], in writer: StoreWriter) throws {
        guard through > after else { return }
        var batches = [[RecordedEvent]](repeating: [], count: plans.count)
        try writer.forEachEvent(from: after + 1) { view in
            guard view.position <= through else { return false }
            var event: RecordedEvent?
            for (index, plan) in plans.enumerated() where view.position > starts[index] && plan.shadow.isInterested(in: view) {
                if event == nil { event = try view.materialize() }
                if let event { batches[index].append(event) }
            }
            return true
        }
        for (index, plan) in plans.enumerated() where !batches[index].isEmpty {
            try plan.shadow.apply(batch: batches[index], in: writer)
        }
    }

    private func goLive(_ plans: [Plan], position: UInt64, in writer: StoreWriter) throws {
        for plan in plans {
            if let suffix = plan.shadowSuffix {
                try ActiveTableSet.setSuffix(suffix, of: plan.projection.name, in: writer)
            } else {
                for (live, shadow) in zip(plan.live.tables, plan.shadow.tables) where live != shadow {
                    try copy(from: writer.table(shadow), to: writer.table(live), in: writer)
                }
            }
            try writer.saveCheckpoint(plan.projection.name, position: position)
        }
    }

    /// Replaces `target`'s contents by `source`'s, in key order (append mode where LMDB allows it).
    private func copy(from source: Table, to target: Table, in writer: StoreWriter) throws {
        try writer.removeAll(target)
        let options: WriteTransaction.PutOptions = target.flags.contains(.duplicateSort) ? [] : .append
        var entries: [([UInt8], [UInt8])] = []
        try writer.withCursor(source) { cursor in
            var positioned = try cursor.first()
            while positioned {
                entries.append((Array(cursor.key), Array(cursor.value)))
                if entries.count >= 4096 {
                    // Flush outside the cursor walk would need a second cursor; writing to another table while
                    // this read cursor is open is safe (LMDB cursors of one transaction may interleave).
                    for (key, value) in entries { try writer.put(target, key, value, options: options) }
                    entries.removeAll(keepingCapacity: true)
                }
                positioned = try cursor.next()
            }
        }
        for (key, value) in entries { try writer.put(target, key, value, options: options) }
    }

    private func compare(_ plans: [Plan], in writer: StoreWriter) throws -> ([ProjectionDifference], Int) {
        var differences: [ProjectionDifference] = []
        var count = 0
        for plan in plans {
            func record(_ table: String, _ key: [UInt8], _ kind: ProjectionDifference.Kind, _ liveValue: [UInt8]?, _ rebuiltValue: [UInt8]?) {
                count += 1
                if differences.count < Self.maximumReportedDifferences {
                    differences.append(ProjectionDifference(
                        projection: plan.projection.name, table: table, key: key, kind: kind,
                        liveValue: liveValue, rebuiltValue: rebuiltValue))
                }
            }
            var byContent: [TableSpec] = []
            if let live = plan.live as? any ContentComparedProjection {
                byContent = live.contentComparedTables
                try live.compareContent(withRebuilt: plan.shadow, in: writer, record)
            }
            for (live, shadow) in zip(plan.live.tables, plan.shadow.tables) where live != shadow && !byContent.contains(live) {
                try TableComparison.compare(
                    live: writer.table(live), rebuilt: writer.table(shadow), in: writer
                ) { key, kind, liveValue, rebuiltValue in record(live.name, key, kind, liveValue, rebuiltValue) }
            }
        }
        return (differences, count)
    }

    /// Empties the tables nothing reads any more — unless another rebuild has started and owns them now.
    private func cleanUp(_ plans: [Plan], verifying: Bool) throws {
        try store.write { writer in
            guard try RunRecord.load(in: writer) == nil else { return }
            for plan in plans {
                let idle = verifying || plan.shadowSuffix == nil ? plan.shadow : plan.live
                let live = verifying || plan.shadowSuffix == nil ? plan.live : plan.shadow
                for table in idle.tables where !live.tables.contains(table) {
                    try writer.removeAll(writer.table(table))
                }
            }
        }
    }
}

/// `rebuild/run` in `projection-state`: the id of the running rebuild and how far its shadows got.
private struct RunRecord: Equatable {
    let id: UUID
    let position: UInt64

    static func load(in reader: StoreReader) throws -> RunRecord? {
        try reader.get(reader.table(ActiveTableSet.table), ActiveTableSet.runKey) { bytes -> RunRecord? in
            guard bytes.count == 24, let id = UUID(bytes: bytes) else { return nil }
            return RunRecord(id: id, position: readBigEndianUInt64(bytes, at: 16))
        } ?? nil
    }

    func save(in writer: StoreWriter) throws {
        var bytes = id.bytes
        appendBigEndian(position, to: &bytes)
        try writer.put(writer.table(ActiveTableSet.table), ActiveTableSet.runKey, bytes)
    }

    static func delete(in writer: StoreWriter) throws {
        try writer.delete(writer.table(ActiveTableSet.table), ActiveTableSet.runKey)
    }
}
