import CompactCodec
import EventStore
import Foundation

/// Rebuilds every projection of a catalog from the log, or checks the live ones against a rebuild, while other
/// processes keep reading and appending — and never holds the store's single writer lock for long (a command
/// of another process waits for at most one short transaction).
///
/// How (the protocol every rebuildable projection takes part in):
/// 1. **Start** (one write transaction): record a run id in `projection-state`, empty each projection's shadow
///    tables (`.copy`: the `.shadow` tables; `.switchTableSet`: the idle table set) — or, when a killed (or
///    still running) rebuild left its run record, take its shadows over and go on from where it got.
/// 2. **Bulk** (projections that can, the customer list): read the log in short read transactions, then write
///    the tables in key order in write transactions of a few megabytes, each recording how far the writes got.
///    After each write transaction of steps 2–3, a writer of another process that waits goes first
///    (`EventStore.yieldToWaitingWriters`): it waits for one short transaction, not for the rebuild.
/// 3. **Replay in chunks**: each write transaction replays log positions into the shadow tables for at most
///    `chunkDuration` (and `chunkSize` positions), records how far it got, then commits. Writers of other
///    processes get the lock between chunks, so appends continue (and keep the *live* tables current inline);
///    readers never wait.
/// 4. **Go live** (one write transaction, once the rest is no more than the last chunk did): replay the rest up
///    to the head — nobody can append meanwhile — then make the shadow live (`.switchTableSet`: rewrite the
///    active-set record; `.copy`: empty the live tables and copy the shadow rows, for small projections only)
///    and set each projection's checkpoint to the head. Readers see the old projection or the new one.
/// 5. **Clean up** (one write transaction per table): empty the tables that are no longer live.
///
/// Crash safety: until step 4 commits, only shadow tables and the run record were written, and nothing reads
/// them; after a kill -9 the live projection is intact and in step with the log, and the next `rebuild` (or
/// `verify`) resumes: the replay from the recorded position, a bulk load from its recorded write (its events are
/// read again, its transactions already committed are not written again). Step 4 is one transaction, so it
/// happened entirely or not at all. Running `rebuild` twice gives the same bytes. If a second rebuild starts
/// while one runs, it takes the run over; the first notices that the run id changed at its next transaction and
/// stops with `ProjectionError.rebuildSuperseded`, without touching the live tables.
///
/// `verify` runs steps 1–3, then in its last transaction catches up and compares the shadow with the live
/// tables entry by entry (so both are at the same log position), and cleans up: the live projection is not
/// changed.
public struct ProjectionRebuilder: Sendable {
    public static let maximumReportedDifferences = 100

    public let store: EventStore
    public let catalog: ProjectionCatalog
    /// Log positions replayed per write transaction at most.
    public var chunkSize: UInt64
    /// How long one chunk's write transaction replays at most (the writer lock others wait for).
    public var chunkDuration: TimeInterval = 0.03
    /// Whether projections that support it (the customer list) are first loaded in memory and written in key
    /// order (see `CustomerListBulkLoader`), before the chunked replay takes over.
    public var bulkLoad = true
    /// Log positions per read transaction of the bulk phase (short snapshots: a long one pins freed pages).
    var bulkReadChunk = 250_000
    /// Bytes (keys and values) per write transaction of the bulk phase: a commit waits for the disk, so fewer,
    /// larger ones are faster, but each holds the store's single writer lock (other processes' commands wait).
    /// 4 MB is about 10–40 ms of lock per transaction.
    var bulkTransactionBytes = 4 << 20
    /// Customers a bulk loader holds at most (about 250 bytes each while loading: 2 M ≈ half a gigabyte); the
    /// chunked replay continues after them.
    public var bulkCustomerLimit = 2_000_000
    /// Tests only: stop like a killed process (no final transaction, no clean-up) after this many chunks.
    var abandonAfterChunks: Int?
    /// Tests only: the same after this many bulk write transactions.
    var abandonAfterBulkTransactions: Int?

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
            eventsPerSecond: outcome.rate, projections: catalog.projections.map(\.name), resumed: outcome.resumed)
    }

    public func verify(progress: (RebuildProgress) -> Void = { _ in }) throws -> VerifyReport {
        let outcome = try run(verifying: true, progress: progress)
        return VerifyReport(
            position: outcome.position, eventsReplayed: outcome.position, duration: outcome.duration,
            differences: outcome.differences, differenceCount: outcome.differenceCount, resumed: outcome.resumed)
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
        var resumed = false
    }

    private func run(verifying: Bool, progress: (RebuildProgress) -> Void) throws -> Outcome {
        let runID = UUID()
        let started = Date()
        let (plans, taken, adopted): ([Plan], RunRecord.Phase, Bool) = try store.write { writer in
            let plans = try catalog.projections.map { try plan(for: $0, in: writer) }
            let previous = try RunRecord.load(in: writer)
            var phase = RunRecord.Phase.fresh
            var position: UInt64 = 0
            var adopted = true
            switch previous?.phase {
            case .replaying(let starts) where starts.count == plans.count:
                (phase, position) = (.replaying(starts: starts), previous?.position ?? 0)
            case .bulkWriting(let write) where bulkLoad && write.loader < plans.count:
                phase = .bulkWriting(write)
            default:
                adopted = false
                for plan in plans {
                    for table in plan.shadow.tables where table != ActiveTableSet.table {
                        try writer.removeAll(writer.table(table))
                    }
                }
                if !bulkLoad { phase = .replaying(starts: [UInt64](repeating: 0, count: plans.count)) }
            }
            try RunRecord(id: runID, position: position, phase: phase).save(in: writer)
            return (plans, phase, adopted)
        }

        var outcome = Outcome()
        outcome.resumed = adopted
        var starts = [UInt64](repeating: 0, count: plans.count)
        switch taken {
        case .replaying(let recorded):
            starts = recorded
        case .bulkWriting(let write):
            starts = try loadInBulk(plans, runID: runID, started: started, resuming: write, progress: progress)
        case .fresh:
            starts = try loadInBulk(plans, runID: runID, started: started, resuming: nil, progress: progress)
        }

        var chunks = 0
        // The positions one chunk got through: once what is left is no more, the last transaction takes it all.
        var lastChunk = min(chunkSize, 1024)
        while true {
            let step: (from: UInt64, position: UInt64, head: UInt64, finished: Bool) = try store.write { writer in
                guard let record = try RunRecord.load(in: writer), record.id == runID else {
                    throw ProjectionError.rebuildSuperseded
                }
                let head = try writer.headPosition()
                let finished = head - min(head, record.position) <= lastChunk
                let target = finished ? head : min(head, record.position + chunkSize)
                let deadline = finished ? nil : Date().addingTimeInterval(chunkDuration)
                let reached = try replay(
                    after: record.position, through: target, deadline: deadline, into: plans, starts: starts, in: writer)
                if finished {
                    if verifying {
                        (outcome.differences, outcome.differenceCount) = try compare(plans, in: writer)
                    } else {
                        try goLive(plans, position: head, in: writer)
                    }
                    try RunRecord.delete(in: writer)
                } else {
                    try RunRecord(id: runID, position: reached, phase: .replaying(starts: starts)).save(in: writer)
                }
                return (record.position, reached, head, finished)
            }
            store.yieldToWaitingWriters()
            store.releaseMappedPages()
            if !step.finished { lastChunk = max(1, step.position - min(step.position, step.from)) }
            let elapsed = max(Date().timeIntervalSince(started), 1e-6)
            let rate = Double(step.position) / elapsed
            let left = step.head - min(step.head, step.position)
            progress(RebuildProgress(
                processed: step.position, total: step.head, eventsPerSecond: rate,
                eta: rate > 0 ? Double(left) / rate : nil, isFinished: step.finished, isResumable: !step.finished))
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
    /// projections that have one, then lets each write its tables, each write transaction recording how far the
    /// writes got. `resuming`: a killed run's writes, whose events are read again (up to the same position) and
    /// whose committed transactions are not written again. Returns, per plan, the position its shadow reached
    /// (0 for projections without a loader), recorded in the last write transaction.
    private func loadInBulk(
        _ plans: [Plan], runID: UUID, started: Date, resuming: RunRecord.BulkWrite?, progress: (RebuildProgress) -> Void
    ) throws -> [UInt64] {
        let logSize = try store.headPosition()
        var loaders: [(plan: Int, loader: any BulkLoader)] = plans.enumerated().compactMap { index, plan in
            (plan.shadow as? BulkLoadable).map { (index, $0.makeBulkLoader(customerLimit: bulkCustomerLimit, logSize: logSize)) }
        }
        let noLoads = [UInt64](repeating: 0, count: plans.count)
        guard !loaders.isEmpty else {
            try store.write { writer in
                guard try RunRecord.load(in: writer)?.id == runID else { throw ProjectionError.rebuildSuperseded }
                try RunRecord(id: runID, position: 0, phase: .replaying(starts: noLoads)).save(in: writer)
            }
            return noLoads
        }
        let last = resuming?.collectedThrough ?? UInt64.max
        var accepting = loaders.map(\.loader)
        var next: UInt64 = 1
        let context = BulkReadContext()
        while !accepting.isEmpty && next <= last {
            let (head, reached): (UInt64, UInt64) = try store.read { reader in
                context.reader = reader
                defer { context.reader = nil }
                let head = try reader.headPosition()
                var reached = next - 1
                var taken = 0
                if accepting.count == 1 {
                    // Without touching the array per event.
                    let loader = accepting[0]
                    try reader.forEachEvent(from: next) { view in
                        guard view.position <= last else { return false }
                        guard try loader.add(view, in: context) else {
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
                    guard view.position <= last else { return false }
                    var index = 0
                    while index < accepting.count {  // a full loader drops out (no array per event)
                        if try accepting[index].add(view, in: context) { index += 1 } else { accepting.remove(at: index) }
                    }
                    guard !accepting.isEmpty else { return false }
                    reached = view.position
                    taken += 1
                    return taken < bulkReadChunk
                }
                return (head, reached)
            }
            // The log pages this read went through are not needed again: out of this process's memory.
            store.releaseMappedPages()
            let elapsed = max(Date().timeIntervalSince(started), 1e-6)
            let rate = Double(reached) / elapsed
            progress(RebuildProgress(
                processed: reached, total: head, eventsPerSecond: rate,
                eta: rate > 0 ? Double(head - min(head, reached)) / rate : nil, isFinished: false, isResumable: false))
            if reached >= head || reached < next { break }
            next = reached + 1
        }
        // Where each shadow will be once written; the last write transaction records where they all are.
        var starts = noLoads
        for (plan, loader) in loaders { starts[plan] = loader.lastPosition }
        let collectedThrough = starts.max() ?? 0
        var resumeAt = resuming.map { (loader: $0.loader, place: $0.place) }
        if let resuming, resuming.collectedThrough != collectedThrough || resuming.loader >= loaders.count {
            // Not the events the killed run had read (another loader limit): write everything again.
            try store.write { writer in
                for (plan, _) in loaders {
                    for table in plans[plan].shadow.tables where table != ActiveTableSet.table {
                        try writer.removeAll(writer.table(table))
                    }
                }
            }
            resumeAt = nil
        }
        let common = starts.min() ?? 0
        var transactions = 0
        // Each loader's memory (hundreds of megabytes at a million customers) goes as soon as its tables are
        // written, before the next one writes (which allocates its sort orders): the peak is not their sum.
        let count = loaders.count
        var unwritten: [(plan: Int, loader: any BulkLoader)?] = loaders
        loaders.removeAll()
        accepting.removeAll()
        for index in 0..<count {
            guard let (plan, loader) = unwritten[index] else { continue }
            unwritten[index] = nil
            defer {
                let retired = UncheckedSendable(loader)
                DispatchQueue.global(qos: .utility).async { withExtendedLifetime(retired) {} }
            }
            if let resumeAt, index < resumeAt.loader { continue }  // written before the kill
            let place = resumeAt.flatMap { $0.loader == index ? $0.place : nil } ?? BulkWritePlace()
            let processed = starts[plan]
            try loader.write(transactionBytes: bulkTransactionBytes, from: place) { body in
                try store.write { writer in
                    guard try RunRecord.load(in: writer)?.id == runID else { throw ProjectionError.rebuildSuperseded }
                    try body(writer)
                }
                store.yieldToWaitingWriters()
                store.releaseMappedPages()
                transactions += 1
                if let abandonAfterBulkTransactions, transactions >= abandonAfterBulkTransactions { throw Abandoned() }
            } progress: { writer, place in
                let write = RunRecord.BulkWrite(loader: index, collectedThrough: collectedThrough, place: place)
                try RunRecord(id: runID, position: 0, phase: .bulkWriting(write)).save(in: writer)
            } lastly: { writer in
                if index == count - 1 {
                    try RunRecord(id: runID, position: common, phase: .replaying(starts: starts)).save(in: writer)
                } else {
                    let write = RunRecord.BulkWrite(loader: index + 1, collectedThrough: collectedThrough, place: BulkWritePlace())
                    try RunRecord(id: runID, position: 0, phase: .bulkWriting(write)).save(in: writer)
                }
            }
            let elapsed = max(Date().timeIntervalSince(started), 1e-6)
            progress(RebuildProgress(
                processed: processed, total: logSize, eventsPerSecond: Double(processed) / elapsed, eta: nil,
                isFinished: false, isResumable: true))
        }
        return starts
    }

    /// Replays positions `(after, through]` into every shadow (each only after its own start), copying out of
    /// the map only the events some projection wants, in batches; after each batch, stops once `deadline` has
    /// passed. Returns the last position replayed.
    private func replay(
        after: UInt64, through: UInt64, deadline: Date?, into plans: [Plan], starts: [UInt64], in writer: StoreWriter
    ) throws -> UInt64 {
        var reached = after
        while reached < through {
            var batches = [[RecordedEvent]](repeating: [], count: plans.count)
            var taken = 0
            var end = reached
            try writer.forEachEvent(from: reached + 1) { view in
                guard view.position <= through else { return false }
                end = view.position
                for (index, plan) in plans.enumerated() where view.position > starts[index] && plan.shadow.isInterested(in: view) {
                    batches[index].append(try view.materialize())
                    taken += 1
                }
                return taken < Self.replayBatch
            }
            for (index, plan) in plans.enumerated() where !batches[index].isEmpty {
                try plan.shadow.apply(batch: batches[index], in: writer)
            }
            guard end > reached else { break }  // the log ends before `through` (never: positions are gapless)
            reached = end
            if let deadline, Date() >= deadline { break }
        }
        return reached
    }

    /// Events per batch of a replay (between two looks at the clock).
    static let replayBatch = 512

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
                store.releaseMappedPages()
            }
            for (live, shadow) in zip(plan.live.tables, plan.shadow.tables) where live != shadow && !byContent.contains(live) {
                try TableComparison.compare(
                    live: writer.table(live), rebuilt: writer.table(shadow), in: writer, pause: store.releaseMappedPages
                ) { key, kind, liveValue, rebuiltValue in record(live.name, key, kind, liveValue, rebuiltValue) }
                store.releaseMappedPages()
            }
        }
        return (differences, count)
    }

    /// Empties the tables nothing reads any more — unless another rebuild has started and owns them now. One
    /// table per write transaction (a million customers' index is a large drop), letting waiting writers go
    /// first between them.
    private func cleanUp(_ plans: [Plan], verifying: Bool) throws {
        var idleTables: [TableSpec] = []
        for plan in plans {
            let idle = verifying || plan.shadowSuffix == nil ? plan.shadow : plan.live
            let live = verifying || plan.shadowSuffix == nil ? plan.live : plan.shadow
            idleTables += idle.tables.filter { !live.tables.contains($0) }
        }
        for table in idleTables {
            let owned = try store.write { writer -> Bool in
                guard try RunRecord.load(in: writer) == nil else { return false }
                try writer.removeAll(writer.table(table))
                return true
            }
            guard owned else { return }
            store.yieldToWaitingWriters()
            store.releaseMappedPages()
        }
    }
}

/// `rebuild/run` in `projection-state`: the id of the running rebuild and how far its shadows got.
///
/// Bytes: run id (16) ‖ replay position (u64 BE) ‖ phase: 0 (nothing to resume) · 1 ‖ loader (u8) ‖ events read
/// (u64 BE) ‖ segment (u32 BE) ‖ entry (u64 BE) (bulk writes so far) · 2 ‖ count (u8) ‖ per projection the
/// position its bulk load reached (u64 BE each). A 24-byte record (an older binary's) resumes nothing.
struct RunRecord: Equatable {
    struct BulkWrite: Equatable {
        /// Index among the run's bulk loaders; those before it are written.
        var loader: Int
        /// The last position the loaders read (a resumed run reads exactly as far).
        var collectedThrough: UInt64
        var place: BulkWritePlace
    }

    enum Phase: Equatable {
        case fresh
        case bulkWriting(BulkWrite)
        /// The bulk loads are written; replaying after `position` (each projection only after its start).
        case replaying(starts: [UInt64])
    }

    let id: UUID
    let position: UInt64
    let phase: Phase

    static func load(in reader: StoreReader) throws -> RunRecord? {
        try reader.get(reader.table(ActiveTableSet.table), ActiveTableSet.runKey) { bytes -> RunRecord? in
            guard bytes.count >= 24, let id = UUID(bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<16])) else { return nil }
            let position = readBigEndianUInt64(bytes, at: 16)
            var phase = Phase.fresh
            if bytes.count == 25 + 21, bytes[24] == 1 {
                phase = .bulkWriting(BulkWrite(
                    loader: Int(bytes[25]), collectedThrough: readBigEndianUInt64(bytes, at: 26),
                    place: BulkWritePlace(
                        segment: Int(readBigEndianUInt64(bytes, at: 34) >> 32),
                        entry: Int(readBigEndianUInt64(bytes, at: 38)))))
            } else if bytes.count >= 26, bytes[24] == 2, bytes.count == 26 + 8 * Int(bytes[25]) {
                phase = .replaying(starts: (0..<Int(bytes[25])).map { readBigEndianUInt64(bytes, at: 26 + 8 * $0) })
            }
            return RunRecord(id: id, position: position, phase: phase)
        } ?? nil
    }

    func save(in writer: StoreWriter) throws {
        var bytes = id.bytes
        appendBigEndian(position, to: &bytes)
        switch phase {
        case .fresh:
            bytes.append(0)
        case .bulkWriting(let write):
            bytes.append(1)
            bytes.append(UInt8(truncatingIfNeeded: write.loader))
            appendBigEndian(write.collectedThrough, to: &bytes)
            appendBigEndian(UInt64(write.place.segment) << 32, to: &bytes)
            bytes.removeLast(4)
            appendBigEndian(UInt64(write.place.entry), to: &bytes)
        case .replaying(let starts):
            bytes.append(2)
            bytes.append(UInt8(truncatingIfNeeded: starts.count))
            for start in starts { appendBigEndian(start, to: &bytes) }
        }
        try writer.put(writer.table(ActiveTableSet.table), ActiveTableSet.runKey, bytes)
    }

    static func delete(in writer: StoreWriter) throws {
        try writer.delete(writer.table(ActiveTableSet.table), ActiveTableSet.runKey)
    }
}
