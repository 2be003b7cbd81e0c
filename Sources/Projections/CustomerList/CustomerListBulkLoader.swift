import CustomerAggregate
import EventStore
import Foundation

/// The rebuild's fast first phase for the customer list: reads the log from the start into memory, then writes
/// every table of an *empty* table set in key order with LMDB's append mode.
///
/// Inserting into B-trees costs a descent per key, and the order index and the trigram blocks arrive in random
/// key order; sorting first and appending is several times faster. The bytes are exactly those of
/// `CustomerListBatch` (same row codec, same keys, same posting-block rule: entries in log order, a new block
/// every `PostingBlock.capacity` customers), which the rebuild tests check byte for byte.
///
/// Where the time goes, and what keeps it small (a million customers, 2.8 M events):
/// - **Decoding.** A `CustomerCreated` is read in place (`CustomerCreatedView`): its payload up to `createdAt`
///   *is* the row's profile in `CustomerRowCodec`'s layout (same fields, same order, same codes), so it is copied
///   as is (the reference prefix upper-cased), and the searchable fields are folded straight from the payload
///   bytes. No `String`, no `CustomerRow`, no allocation per event. Payloads that this path cannot vouch for
///   (an older or unusual encoding, text that is not plain UTF-8 below U+0300, …) take the decoding path, which
///   gives the same bytes or reports the error.
/// - **Streams** are mapped to customers by the 128 bits of their UUID (`StreamOrdinals`), not by `String`.
/// - **Trigrams** go to a `PostingBlockBuilder` on a helper thread (the machine's other core), in batches, while
///   this thread goes on reading; the blocks come out already in key order.
/// - **Sorting** the name and email indexes is a radix sort of integer prefixes (`ColumnSort`), also on the
///   helper thread, while this thread writes the rows and the creation-order index.
/// - **Writing** goes through one cursor per table and transaction, in append mode, from raw buffers.
///
/// The loader also stops before the first `CustomerEdited` or email switch (see `Reader.add`).
///
/// Memory is bounded by `customerLimit` (about 250 bytes per customer, plus the trigram blocks); when the log
/// holds more customers, the loader stops before the first customer over the limit and the rebuild goes on
/// incrementally from there.
final class CustomerListBulkLoader {
    private var reader: Reader
    private let worker: CustomerListBulkWorker

    init(customerLimit: Int, expectedCustomers: Int = 0) {
        let expected = min(customerLimit, expectedCustomers)
        worker = CustomerListBulkWorker(expectedCustomers: expected)
        reader = Reader(customerLimit: customerLimit, expected: expected, worker: worker)
    }

    var customerLimit: Int { reader.customerLimit }
    var lastPosition: UInt64 { reader.lastPosition }

    /// Takes the next event of the log. Returns false, without taking it, when the event would create a
    /// customer over the limit: the loader is full.
    func add(_ event: EventView) throws -> Bool {
        do {
            return try reader.add(event)
        } catch {
            // The worker follows verifications behind this thread: one it found undecodable is earlier in the
            // log than this error, and is the one to report.
            reader.flush()
            if let earlier = worker.firstError() { throw earlier }
            throw error
        }
    }

    // MARK: Writing

    typealias Transact = BulkWriter.Transact

    /// `ordinals` (in creation-sequence order) by `createdAt`, then reference number, then sequence: the
    /// `created` order. A log of commands is already in that order (only imports of older customers are not),
    /// so the sort runs only when needed.
    /// A segment of `column`'s entries, each a key of `keyLength` bytes followed by its value.
    private static func keyedEntries(_ table: TableSpec, keyLength: Int, _ column: @escaping () -> ByteColumn) -> BulkWriter.Segment {
        BulkWriter.Segment(table: table) {
            let entries = column()
            return (entries.count, { index in
                let entry = UnsafeRawPointer(entries.bytes + entries.start(index))
                return (UnsafeRawBufferPointer(start: entry, count: keyLength),
                        UnsafeRawBufferPointer(start: entry + keyLength, count: entries.length(index) - keyLength))
            })
        }
    }

    private static func inCreationOrder(_ ordinals: [Int32], micros: [Int64], references: [UInt64]) -> [Int32] {
        func precedes(_ a: Int32, _ b: Int32) -> Bool {
            let (left, right) = (Int(a), Int(b))
            if micros[left] != micros[right] { return micros[left] < micros[right] }
            if references[left] != references[right] { return references[left] < references[right] }
            return a < b
        }
        var sorted = true
        for index in ordinals.indices.dropFirst() where !precedes(ordinals[index - 1], ordinals[index]) {
            sorted = false
            break
        }
        return sorted ? ordinals : ordinals.sorted(by: precedes)
    }

    /// Writes all tables in write transactions of about `transactionBytes` (keys and values) each; `transact`
    /// runs one write transaction (the rebuilder checks there that its run still owns the shadow tables), and
    /// `lastly` runs inside the last one. `place`/`progress`: see `BulkLoader.write`.
    func write(
        into names: CustomerListTableNames, transactionBytes: Int, from place: BulkWritePlace = BulkWritePlace(),
        transact: Transact, progress: (StoreWriter, BulkWritePlace) throws -> Void = { _, _ in },
        lastly: (StoreWriter) throws -> Void
    ) throws {
        reader.flush()
        let count = reader.sequences.count
        let sequences = reader.sequences
        let results = worker.finish(sequences: sequences, count: count)
        results.waitForStatuses()
        if let error = results.error { throw error }
        let profiles = reader.profiles
        let createdAt = reader.createdAt
        let verified = results.verified
        let verifiedAt = results.verifiedAt
        let byStatus = results.byStatus
        var segments: [BulkWriter.Segment] = []

        // Rows, by sequence.
        let rowBuffer = RowBuffer()
        let keyBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 8)
        defer { keyBuffer.deallocate() }
        segments.append(BulkWriter.Segment(table: names.rows) {
            (count, { ordinal in
                keyBuffer.storeBytes(of: sequences[ordinal].bigEndian, as: UInt64.self)
                let row = rowBuffer.row(
                    profile: UnsafeRawBufferPointer(start: profiles.bytes + profiles.start(ordinal), count: profiles.length(ordinal)),
                    verified: verified[ordinal], createdAt: createdAt[ordinal], verifiedAt: verifiedAt[ordinal])
                return (UnsafeRawBufferPointer(rebasing: keyBuffer[0..<8]), row)
            })
        })

        // Order index: field-major, then status, then the field's order.
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        for field in ListOrderKey.Field.allCases {
            for (statusIndex, status) in CustomerStatus.allCases.enumerated() {
                if field == .created {
                    // field ‖ status ‖ createdAt (µs, sign flipped) ‖ reference number ‖ sequence, all u64 BE
                    let micros = reader.createdMicroseconds
                    let references = reader.referenceNumbers
                    let ordinals = Self.inCreationOrder(byStatus[statusIndex], micros: micros, references: references)
                    let prefix = (field.rawValue, ListOrderKey.statusCode(status))
                    segments.append(BulkWriter.Segment(table: names.order) {
                        (ordinals.count, { index in
                            let ordinal = Int(ordinals[index])
                            keyBuffer[0] = prefix.0
                            keyBuffer[1] = prefix.1
                            keyBuffer.storeBytes(of: (UInt64(bitPattern: micros[ordinal]) ^ (1 << 63)).bigEndian, toByteOffset: 2, as: UInt64.self)
                            keyBuffer.storeBytes(of: references[ordinal].bigEndian, toByteOffset: 10, as: UInt64.self)
                            keyBuffer.storeBytes(of: sequences[ordinal].bigEndian, toByteOffset: 18, as: UInt64.self)
                            return (UnsafeRawBufferPointer(rebasing: keyBuffer[0..<26]), empty)
                        })
                    })
                } else {
                    segments.append(BulkWriter.Segment(table: names.order) {
                        let keys = results.orderKeys(field: Int(field.rawValue) - 2, status: statusIndex)
                        return (keys.count, { index in
                            (UnsafeRawBufferPointer(start: keys.bytes + keys.start(index), count: keys.length(index)), empty)
                        })
                    })
                }
            }
        }

        // Trigram blocks, by trigram then first sequence (3-byte trigram ‖ u64 BE); byte bitmaps, by chunk then
        // byte (u64 BE ‖ byte).
        segments.append(Self.keyedEntries(names.grams, keyLength: 11) { results.trigramBlocks() })
        segments.append(Self.keyedEntries(names.byteBits, keyLength: 9) { results.byteBitmaps() })

        try BulkWriter(segments: segments, transactionBytes: transactionBytes).run(
            from: place, transact: transact, progress: progress
        ) { writer in
            // The status bits (the counts derive from them and the rows), in the last transaction.
            let tables = CustomerListTables(names, in: writer)
            let verifiedIndex = CustomerStatus.allCases.firstIndex(of: .verified)!
            try StatusBits.set(byStatus[verifiedIndex].map { sequences[Int($0)] }, verified: true, tables: tables, in: writer)
            try CustomerListFormat.mark(tables, in: writer, bitmapsWritten: true)
            try lastly(writer)
        }
    }
}

/// The reading side of a bulk load (the rebuild's thread). A struct, so that the per-event work on its state
/// costs no dynamic exclusivity checks; the loader holds it.
private struct Reader {
    let customerLimit: Int
    private(set) var lastPosition: UInt64 = 0
    /// Per customer ordinal (creation order).
    private(set) var sequences: [UInt64] = []
    private(set) var createdAt: [Date] = []
    /// The `created` order's key: `createdAt` in µs, then the reference number.
    private(set) var createdMicroseconds: [Int64] = []
    private(set) var referenceNumbers: [UInt64] = []
    /// The texts of the customer being added, as `BulkLoadBatch` takes them.
    private var fieldLengths = [Int32](repeating: 0, count: BulkLoadBatch.fieldCount)
    /// The row up to its status (`CustomerRowCodec.encodeProfile`).
    private(set) var profiles: ByteColumn
    /// Streams not named like customer streams (the worker keeps those).
    private var otherStreams: [String: Int32] = [:]
    private var batch: BulkLoadBatch
    private let worker: CustomerListBulkWorker
    /// Where one customer's fields are folded before anything is kept.
    private var scratch: Scratch

    init(customerLimit: Int, expected: Int, worker: CustomerListBulkWorker) {
        self.customerLimit = customerLimit
        self.worker = worker
        sequences.reserveCapacity(expected)
        createdAt.reserveCapacity(expected)
        createdMicroseconds.reserveCapacity(expected)
        referenceNumbers.reserveCapacity(expected)
        profiles = ByteColumn(entries: expected, bytes: expected * 100, keepsHeads: false)
        batch = worker.takeBatch()
        scratch = Scratch()
    }

    mutating func add(_ event: EventView) throws -> Bool {
        // An edit moves a customer within the indexes, which the in-memory build cannot do: the loader stops
        // before the first one, and the rebuild applies it and all later events the incremental way, which is
        // what the live projection did.
        if CustomerListEdit.types.contains(where: event.typeIs) { return false }
        if event.typeIs(CustomerEvent.createdTypeName) {
            guard event.version == 1 else { return accept(event) }
            guard sequences.count < customerLimit else { return false }
            let ordinal = Int32(sequences.count)
            if event.schemaVersion != 1 || !addInPlace(event) {
                try addDecoded(event)
            }
            let stream = event.streamUTF8
            if let key = StreamOrdinals.key(of: stream) {
                batch.add(.init(kind: .created, key: key, ordinal: ordinal, at: Self.noDate))
            } else {
                otherStreams[String(decoding: stream, as: UTF8.self)] = ordinal
                batch.add(.init(kind: .created, key: nil, ordinal: ordinal, at: Self.noDate))
            }
            if batch.isFull { flush() }
        } else if event.typeIs(CustomerEvent.emailVerifiedTypeName) {
            let stream = event.streamUTF8
            if let key = StreamOrdinals.key(of: stream) {
                // Whether this is a customer's stream is known to the worker: it raises the error if so.
                do {
                    batch.add(.init(kind: .verified, key: key, ordinal: 0, at: try verifiedAt(event)))
                } catch let error as ProjectionError {
                    batch.addUndecodable(key: key, error: error)
                }
            } else if let ordinal = otherStreams[String(decoding: stream, as: UTF8.self)] {
                batch.add(.init(kind: .verifiedOrdinal, key: nil, ordinal: ordinal, at: try verifiedAt(event)))
            }
        }
        return accept(event)
    }

    private static let noDate = Date(timeIntervalSince1970: 0)

    @inline(__always)
    private mutating func accept(_ event: EventView) -> Bool {
        lastPosition = event.position
        return true
    }

    /// Hands the customers read so far to the worker.
    mutating func flush() {
        guard !batch.isEmpty else { return }
        worker.submit(batch)
        batch = worker.takeBatch()
    }

    private func verifiedAt(_ event: EventView) throws -> Date {
        if event.schemaVersion == 1, let view = EmailVerifiedView(v1: event.payload) {
            return Date(timeIntervalSince1970: Double(view.verifiedAtMicroseconds) / 1_000_000)  // as `readDate`
        }
        guard case .emailVerified(let verification) = try CustomerEvent.decode(event) else {
            throw ProjectionError.undecodableEvent(position: event.position, type: event.type, reason: "not a verification")
        }
        return verification.verifiedAt
    }

    /// The fast path: a v1 payload read in place. Returns false, having kept nothing, when the payload needs the
    /// decoding path.
    private mutating func addInPlace(_ event: EventView) -> Bool {
        let payload = event.payload
        guard let view = CustomerCreatedView(v1: payload), let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return false
        }
        // The profile is copied byte for byte, so its text must be what `String(decoding:)` keeps unchanged.
        if let phone = view.phone, !TextFolding.isValidUTF8(base + phone.lowerBound, phone.count) { return false }
        if let company = view.company, !TextFolding.isValidUTF8(base + company.lowerBound, company.count) { return false }
        if !TextFolding.isValidUTF8(base + view.locale.lowerBound, view.locale.count) { return false }
        let prefix = view.prefix
        for index in prefix where base[index] >= 0x80 { return false }  // upper-cased as ASCII below

        // Fold reference (`CustomerReference.description`: prefix, "--", number), email, first and last name,
        // company and phone; then lower-case email, first and last name (their collation's second level).
        var written = 0
        let target = scratch.room(prefix.count + 22)
        for index in prefix {
            let byte = base[index]
            target[written] = byte &- 0x41 < 26 ? byte | 0x20 : byte
            written += 1
        }
        target[written] = UInt8(ascii: "-")
        target[written + 1] = UInt8(ascii: "-")
        written += 2
        written += Self.writeDecimal(view.referenceNumber, to: target + written)
        fieldLengths[0] = Int32(written)
        let lower = SearchFields.count
        guard fold(view, view.email, as: Int(SearchFields.email), at: &written, lowercasing: false),
              fold(view, view.firstName, as: Int(SearchFields.firstName), at: &written, lowercasing: false),
              fold(view, view.lastName, as: Int(SearchFields.lastName), at: &written, lowercasing: false),
              fold(view, view.company, as: Int(SearchFields.company), at: &written, lowercasing: false),
              fold(view, view.phone, as: Int(SearchFields.phone), at: &written, lowercasing: false),
              fold(view, view.email, as: lower, at: &written, lowercasing: true),
              fold(view, view.firstName, as: lower + 1, at: &written, lowercasing: true),
              fold(view, view.lastName, as: lower + 2, at: &written, lowercasing: true)
        else { return false }

        // Keep it: the row's profile is the format byte and the payload up to `createdAt`.
        let profileCount = 1 + view.createdAtOffset
        let profile = profiles.reserveTail(profileCount)
        profile[0] = CustomerRowCodec.format
        profile.advanced(by: 1).update(from: base, count: view.createdAtOffset)
        for index in prefix {
            let byte = profile[1 + index]
            if byte &- 0x61 < 26 { profile[1 + index] = byte & ~0x20 }
        }
        profiles.commit(profileCount)
        keep(
            sequence: event.position, createdAtMicroseconds: view.createdAtMicroseconds,
            referenceNumber: view.referenceNumber)
        return true
    }

    /// Folds a field (absent: empty) into the scratch buffer as text `index` of the batch; false when its bytes
    /// are not valid UTF-8.
    @inline(__always)
    private mutating func fold(
        _ view: CustomerCreatedView, _ range: Range<Int>?, as index: Int, at written: inout Int, lowercasing: Bool
    ) -> Bool {
        guard let range else {
            fieldLengths[index] = 0
            return true
        }
        guard let count = scratch.fold(view, range, at: &written, lowercasing: lowercasing) else { return false }
        fieldLengths[index] = Int32(count)
        return true
    }

    /// The general path (and the one that reports undecodable events).
    private mutating func addDecoded(_ event: EventView) throws {
        guard case .created(let created) = try CustomerEvent.decode(event) else { return }
        let row = CustomerRow(created: created, sequence: event.position)
        profiles.append(CustomerRowCodec.encodeProfile(row))
        let folded = FoldedRow(row)
        let profile = row.profile
        let fields = folded.searchFields.map(\.text) + [profile.email, profile.firstName, profile.lastName].map(TextFolding.lowercased)
        let target = scratch.room(fields.reduce(0) { $0 + $1.count })
        var written = 0
        for (index, field) in fields.enumerated() {
            field.withUnsafeBufferPointer { if let base = $0.baseAddress { target.advanced(by: written).update(from: base, count: $0.count) } }
            written += field.count
            fieldLengths[index] = Int32(field.count)
        }
        keep(
            sequence: event.position, createdAtMicroseconds: ListOrderKey.microseconds(row.createdAt),
            referenceNumber: row.reference.number)
    }

    /// Records a new customer whose profile was just appended; the scratch buffer holds its texts as
    /// `BulkLoadBatch` takes them, `fieldLengths` their lengths (the worker derives the sort collations).
    private mutating func keep(sequence: UInt64, createdAtMicroseconds: Int64, referenceNumber: UInt64) {
        sequences.append(sequence)
        createdAt.append(Date(timeIntervalSince1970: Double(createdAtMicroseconds) / 1_000_000))  // as `readDate`
        createdMicroseconds.append(createdAtMicroseconds)
        referenceNumbers.append(referenceNumber)
        batch.addCustomer(sequence: sequence, texts: UnsafePointer(scratch.bytes), lengths: fieldLengths)
    }

    /// Writes `value` in decimal (as `String(value)` spells it); returns the number of digits.
    private static func writeDecimal(_ value: UInt64, to target: UnsafeMutablePointer<UInt8>) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var remaining = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            target[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
        return digits
    }
}

/// The buffer one customer's fields are folded into.
private final class Scratch {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity = 4096

    init() { bytes = .allocate(capacity: capacity) }
    deinit { bytes.deallocate() }

    /// The buffer, with room for `count` bytes from its start (it may move: earlier pointers are invalid).
    @inline(__always)
    func room(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: count * 2)
            larger.update(from: bytes, count: capacity)
            bytes.deallocate()
            bytes = larger
            capacity = count * 2
        }
        return bytes
    }

    /// Folds (`TextFolding.fold`, or `lowercased` when `lowercasing`) one text field of the payload at `written`
    /// (advanced); returns its length, or nil when its bytes are not valid UTF-8 (the decoding path then decides
    /// what they mean).
    @inline(__always)
    func fold(_ view: CustomerCreatedView, _ range: Range<Int>, at written: inout Int, lowercasing: Bool) -> Int? {
        let source = view.payload.baseAddress!.assumingMemoryBound(to: UInt8.self) + range.lowerBound
        let start = written
        let target = room(start + TextFolding.maximumFoldedCount(range.count))
        let table = lowercasing ? TextFolding.lowerTable : TextFolding.baseTable
        if let count = TextFolding.foldLatin(source, range.count, into: target + start, table: table) {
            written += count
            return count
        }
        guard TextFolding.isValidUTF8(source, range.count) else { return nil }
        let text = String(decoding: view.bytes(range), as: UTF8.self)
        let folded = lowercasing ? TextFolding.lowercaseThroughString(text) : TextFolding.foldThroughString(text)
        let room = room(start + folded.count)
        folded.withUnsafeBufferPointer { if let base = $0.baseAddress { (room + start).update(from: base, count: $0.count) } }
        written += folded.count
        return folded.count
    }
}

/// A row value assembled in one reusable buffer: profile ‖ `CustomerRowCodec.writeStatus`.
private final class RowBuffer {
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity = 1024

    init() { bytes = .allocate(capacity: capacity) }
    deinit { bytes.deallocate() }

    /// Valid until the next call.
    func row(profile: UnsafeRawBufferPointer, verified: Bool, createdAt: Date, verifiedAt: Date?) -> UnsafeRawBufferPointer {
        let needed = profile.count + CustomerRowCodec.maximumStatusCount
        if needed > capacity {
            bytes.deallocate()
            capacity = needed * 2
            bytes = .allocate(capacity: capacity)
        }
        if let base = profile.baseAddress { UnsafeMutableRawPointer(bytes).copyMemory(from: base, byteCount: profile.count) }
        let tail = CustomerRowCodec.writeStatus(
            verified ? .verified : .unverified, createdAt: createdAt, verifiedAt: verifiedAt, to: bytes + profile.count)
        return UnsafeRawBufferPointer(start: bytes, count: profile.count + tail)
    }
}

