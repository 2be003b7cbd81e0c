import CustomerAggregate
import Foundation

/// What the reading thread of a bulk load hands to the helper thread in one piece: the new customers' folded
/// search fields, and what happened to customer streams (creations, verifications), in log order. Batches go
/// back and forth (`CustomerListBulkWorker.takeBatch()`) so that their buffers are allocated once.
struct BulkLoadBatch: Sendable {
    static let customers = 4096

    struct StreamEvent: Sendable {
        enum Kind: UInt8, Sendable {
            /// Customer `ordinal` was created on the stream `key` (nil: a stream the reader keeps itself).
            case created
            /// The stream `key` had an `EmailVerified` at `at`.
            case verified
            /// Customer `ordinal` (found by the reader) was verified at `at`.
            case verifiedOrdinal
            /// The stream `key` had an `EmailVerified` that does not decode: an error if it is a customer's
            /// (`ordinal` indexes `errors`).
            case undecodable
        }

        var kind: Kind
        var key: StreamOrdinals.Key?
        var ordinal: Int32
        var at: Date
    }

    /// Per customer, `fieldCount` texts one after the other: the search fields in `SearchFields` order folded
    /// (`TextFolding.fold`), then email, first and last name lower-cased (`TextFolding.lowercased`, the second
    /// level of their collation).
    static let fieldCount = SearchFields.count + 3

    private(set) var sequences: [UInt64] = []
    /// Per customer: the byte lengths of its `fieldCount` texts.
    private(set) var lengths: [Int32] = []
    private(set) var bytes: [UInt8] = []
    private(set) var streamEvents: [StreamEvent] = []
    private(set) var errors: [ProjectionError] = []

    init() {
        sequences.reserveCapacity(Self.customers)
        lengths.reserveCapacity(Self.customers * Self.fieldCount)
        bytes.reserveCapacity(Self.customers * 64)
        streamEvents.reserveCapacity(Self.customers * 2)
    }

    var isEmpty: Bool { sequences.isEmpty && streamEvents.isEmpty }
    var isFull: Bool { sequences.count >= Self.customers }

    mutating func addCustomer(sequence: UInt64, texts: UnsafePointer<UInt8>, lengths fieldLengths: [Int32]) {
        sequences.append(sequence)
        lengths.append(contentsOf: fieldLengths)
        bytes.append(contentsOf: UnsafeBufferPointer(start: texts, count: Int(fieldLengths.reduce(0, +))))
    }

    mutating func add(_ event: StreamEvent) {
        streamEvents.append(event)
    }

    mutating func addUndecodable(key: StreamOrdinals.Key, error: ProjectionError) {
        streamEvents.append(StreamEvent(kind: .undecodable, key: key, ordinal: Int32(errors.count), at: Date(timeIntervalSince1970: 0)))
        errors.append(error)
    }

    mutating func removeAll() {
        sequences.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        streamEvents.removeAll(keepingCapacity: true)
        errors.removeAll()
    }
}

/// The helper thread of a bulk load (the machine's other core): while the reader goes on reading, it follows
/// the customers' statuses and builds the trigram blocks; once the reader is done, it sorts the name and email
/// indexes and lays their keys out in order, then closes the trigram blocks, while the reader's thread writes.
///
/// One serial queue does everything, in submission order; the state it builds is read by the loader's thread
/// only after waiting for the result that covers it (`Slot`).
final class CustomerListBulkWorker: @unchecked Sendable {
    private let queue = DispatchQueue(label: "customer-es.rebuild.customer-list")
    private let streams: StreamOrdinals
    private let trigrams = PostingBlockBuilder()
    private let byteBits = ByteBitsBuilder()
    /// What the worker builds, used on `queue` only (until the results are handed out).
    private var state: State
    private var prefetchSink: UInt32 = 0

    init(expectedCustomers: Int) {
        streams = StreamOrdinals(expected: expectedCustomers)
        state = State(statuses: Statuses(expected: expectedCustomers), collations: Collations(expected: expectedCustomers))
    }

    /// A struct, so that following millions of events and customers costs no dynamic exclusivity check each.
    private struct State {
        var statuses: Statuses
        /// Collation keys (`ListOrderKey.writeCollation`) of email, first and last name, by ordinal.
        var collations: Collations

        mutating func process(_ batch: BulkLoadBatch, streams: StreamOrdinals, trigrams: PostingBlockBuilder, byteBits: ByteBitsBuilder) {
            statuses.apply(batch, streams: streams)
            batch.sequences.withUnsafeBufferPointer { sequences in
                batch.lengths.withUnsafeBufferPointer { lengths in
                    batch.bytes.withUnsafeBufferPointer { bytes in
                        guard var text = bytes.baseAddress else { return }
                        let fields = BulkLoadBatch.fieldCount
                        var starts = [UnsafePointer<UInt8>](repeating: text, count: fields)
                        for index in 0..<sequences.count {
                            for field in 0..<fields {
                                let count = Int(lengths[index * fields + field])
                                starts[field] = text
                                if field < SearchFields.count {
                                    trigrams.add(sequence: sequences[index], field: UInt8(field), text: text, count: count)
                                    byteBits.add(sequence: sequences[index], text: text, count: count)
                                }
                                text += count
                            }
                            let length = { (field: Int) in Int(lengths[index * fields + field]) }
                            let lower = SearchFields.count
                            collations.append(
                                email: (starts[1], length(1), starts[lower], length(lower)),
                                firstName: (starts[2], length(2), starts[lower + 1], length(lower + 1)),
                                lastName: (starts[3], length(3), starts[lower + 2], length(lower + 2)))
                        }
                    }
                }
            }
        }
    }

    private struct Collations {
        var email: ByteColumn
        var firstName: ByteColumn
        var lastName: ByteColumn

        init(expected: Int) {
            email = ByteColumn(entries: expected, bytes: expected * 24, keepsHeads: true)
            firstName = ByteColumn(entries: expected, bytes: expected * 8, keepsHeads: true)
            lastName = ByteColumn(entries: expected, bytes: expected * 10, keepsHeads: true)
        }

        var columns: [ByteColumn] { [email, firstName, lastName] }

        typealias Levels = (primary: UnsafePointer<UInt8>, primaryCount: Int, secondary: UnsafePointer<UInt8>, secondaryCount: Int)

        /// `ListOrderKey.writeCollation` of one customer's email, first and last name.
        @inline(__always)
        mutating func append(email: Levels, firstName: Levels, lastName: Levels) {
            Self.append(email, to: &self.email)
            Self.append(firstName, to: &self.firstName)
            Self.append(lastName, to: &self.lastName)
        }

        @inline(__always)
        private static func append(_ levels: Levels, to column: inout ByteColumn) {
            let target = column.reserveTail(min(levels.primaryCount + levels.secondaryCount + 1, ListOrderKey.maxCollationBytes))
            column.commit(ListOrderKey.writeCollation(
                primary: levels.primary, levels.primaryCount, secondary: levels.secondary, levels.secondaryCount, to: target))
        }
    }

    /// Every customer's status as the log goes.
    private struct Statuses {
        var verified: [Bool] = []
        var verifiedAt: [Date?] = []
        var firstError: ProjectionError?

        init(expected: Int) {
            verified.reserveCapacity(expected)
            verifiedAt.reserveCapacity(expected)
        }

        mutating func grow(to count: Int) {
            while verified.count < count {
                verified.append(false)
                verifiedAt.append(nil)
            }
        }

        mutating func apply(_ batch: BulkLoadBatch, streams: StreamOrdinals) {
            for event in batch.streamEvents {
                switch event.kind {
                case .created:
                    grow(to: Int(event.ordinal) + 1)
                    if let key = event.key { streams.set(key, event.ordinal) }
                case .verified:
                    if let key = event.key, let ordinal = streams[key] {
                        verified[Int(ordinal)] = true
                        verifiedAt[Int(ordinal)] = event.at
                    }
                case .verifiedOrdinal:
                    verified[Int(event.ordinal)] = true
                    verifiedAt[Int(event.ordinal)] = event.at
                case .undecodable:
                    if firstError == nil, let key = event.key, streams[key] != nil {
                        firstError = batch.errors[Int(event.ordinal)]
                    }
                }
            }
        }
    }

    func submit(_ batch: BulkLoadBatch) {
        queue.async {
            var batch = batch
            self.process(batch)
            batch.removeAll()
            self.pool.put(batch)
        }
    }

    /// The first undecodable verification of a customer in what was submitted so far (waits for the worker).
    func firstError() -> ProjectionError? {
        queue.sync { state.statuses.firstError }
    }

    /// An empty batch, with its buffers already grown if one came back from the worker.
    func takeBatch() -> BulkLoadBatch { pool.take() ?? BulkLoadBatch() }

    private let pool = BatchPool()

    private final class BatchPool: @unchecked Sendable {
        private let lock = NSLock()
        private var batches: [BulkLoadBatch] = []

        func put(_ batch: BulkLoadBatch) {
            lock.lock()
            batches.append(batch)
            lock.unlock()
        }

        func take() -> BulkLoadBatch? {
            lock.lock()
            defer { lock.unlock() }
            return batches.popLast()
        }
    }

    private func process(_ batch: BulkLoadBatch) {
        // The new customers' table slots are scattered over the whole table: touch them all first, so that
        // their cache misses overlap instead of stalling one insert after the other.
        var touched: UInt32 = 0
        for event in batch.streamEvents where event.kind == .created {
            if let key = event.key { touched &+= streams.touch(key) }
        }
        prefetchSink &+= touched
        state.process(batch, streams: streams, trigrams: trigrams, byteBits: byteBits)
    }

    /// What the worker computes once the reader is done: statuses, the sorted index keys, the trigram blocks.
    final class Results: @unchecked Sendable {
        fileprivate(set) var verified: [Bool] = []
        fileprivate(set) var verifiedAt: [Date?] = []
        /// Ordinals per status (index in `CustomerStatus.allCases`), ascending.
        fileprivate(set) var byStatus: [[Int32]] = []
        fileprivate(set) var error: ProjectionError?
        fileprivate let statuses = Slot()
        /// Per name/email field (0 email, 1 first, 2 last) and status: the order-index keys, in key order.
        fileprivate let keys: [[Slot]]
        fileprivate let trigrams = Slot()
        fileprivate let byteBits = Slot()

        fileprivate init() {
            keys = (0..<3).map { _ in CustomerStatus.allCases.map { _ in Slot() } }
        }

        /// Waits for the statuses (and the first undecodable verification of a customer, if any).
        func waitForStatuses() { statuses.wait() }

        /// Waits for the keys of one field (0 email, 1 first name, 2 last name) and status (index).
        func orderKeys(field: Int, status: Int) -> ByteColumn {
            keys[field][status].wait()
            return keys[field][status].column!
        }

        /// Waits for the trigram blocks: key (11 bytes) ‖ value per entry, in key order.
        func trigramBlocks() -> ByteColumn {
            trigrams.wait()
            return trigrams.column!
        }

        /// Waits for the byte bitmaps (`ByteBits`): key (9 bytes) ‖ value per entry, in key order.
        func byteBitmaps() -> ByteColumn {
            byteBits.wait()
            return byteBits.column!
        }
    }

    /// Queues the end of the load: statuses, then one sort per (field, status), then the trigram blocks.
    func finish(sequences: [UInt64], count: Int) -> Results {
        let results = Results()
        queue.async {
            self.state.statuses.grow(to: count)
            let verified = self.state.statuses.verified
            results.verified = verified
            results.verifiedAt = self.state.statuses.verifiedAt
            results.error = self.state.statuses.firstError
            results.byStatus = CustomerStatus.allCases.map { status in
                let wanted = status == .verified
                return verified.indices.compactMap { verified[$0] == wanted ? Int32($0) : nil }
            }
            results.statuses.signal()
            let collations = self.state.collations.columns
            let workspace = ColumnSort.Workspace()
            for field in 0..<3 {
                for (statusIndex, status) in CustomerStatus.allCases.enumerated() {
                    let ordinals = ColumnSort.sorted(results.byStatus[statusIndex], by: collations[field], workspace: workspace)
                    results.keys[field][statusIndex].column = Self.orderKeys(
                        field: ListOrderKey.Field(rawValue: UInt8(field + 2))!, status: status, ordinals: ordinals,
                        collations: collations[field], sequences: sequences)
                    results.keys[field][statusIndex].signal()
                }
            }
            results.trigrams.column = self.trigrams.finish()
            results.trigrams.signal()
            results.byteBits.column = self.byteBits.finish()
            results.byteBits.signal()
        }
        return results
    }

    /// `ListOrderKey.key` of every customer in `ordinals` (already in order), one after the other.
    private static func orderKeys(
        field: ListOrderKey.Field, status: CustomerStatus, ordinals: [Int32], collations: ByteColumn, sequences: [UInt64]
    ) -> ByteColumn {
        var keys = ByteColumn(entries: ordinals.count, bytes: ordinals.count * 40, keepsHeads: false)
        let statusCode = ListOrderKey.statusCode(status)
        sequences.withUnsafeBufferPointer { sequences in
            for ordinal in ordinals {
                let entry = Int(ordinal)
                let length = collations.length(entry)
                let target = keys.reserveTail(length + 11)
                target[0] = field.rawValue
                target[1] = statusCode
                (target + 2).update(from: collations.bytes + collations.start(entry), count: length)
                target[2 + length] = 0
                UnsafeMutableRawPointer(target + 3 + length).storeBytes(of: sequences[entry].bigEndian, as: UInt64.self)
                keys.commit(length + 11)
            }
        }
        return keys
    }

    /// One result: signalled once on the queue, waited for (once or more) by the loader's thread.
    final class Slot: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var isReady = false
        /// The keys or blocks, for the slots that have some: set before `signal()`.
        fileprivate var column: ByteColumn?

        fileprivate func signal() { done.signal() }

        func wait() {
            guard !isReady else { return }
            done.wait()
            isReady = true
        }
    }
}

/// Hands a value that is not `Sendable` to another thread that becomes its only user (the caller promises).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
