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
/// Memory is bounded by `customerLimit` (about 250 bytes per customer, plus a 64 MB trigram directory); when the
/// log holds more customers, the loader stops before the first customer over the limit and the rebuild goes on
/// incrementally from there.
final class CustomerListBulkLoader {
    let customerLimit: Int
    /// Creation sequence per customer ordinal (creation order).
    private var sequences: [UInt64] = []
    private var profiles = KeyArena()
    private var createdAt: [Date] = []
    private var statuses: [CustomerStatus] = []
    private var verifiedAt: [Date?] = []
    /// Collation bytes of email, first and last name: entries 3·ordinal, 3·ordinal+1, 3·ordinal+2.
    private var collations = KeyArena()
    private var ordinalOfStream: [String: Int] = [:]
    private var grams = GramBuilders()
    private(set) var lastPosition: UInt64 = 0

    init(customerLimit: Int, expectedCustomers: Int = 0) {
        self.customerLimit = customerLimit
        let expected = min(customerLimit, expectedCustomers)
        ordinalOfStream.reserveCapacity(expected)
        sequences.reserveCapacity(expected)
        createdAt.reserveCapacity(expected)
        statuses.reserveCapacity(expected)
        verifiedAt.reserveCapacity(expected)
        profiles.reserve(keys: expected, bytes: expected * 100)
        collations.reserve(keys: expected * 3, bytes: expected * 40)
    }

    /// Takes the next event of the log. Returns false, without taking it, when the event would create a
    /// customer over the limit: the loader is full.
    func add(_ event: EventView) throws -> Bool {
        if event.typeIs("CustomerCreated") {
            guard event.version == 1 else { return accept(event) }
            guard sequences.count < customerLimit else { return false }
            guard case .created(let created) = try decode(event, type: CustomerEvent.createdTypeName) else { return accept(event) }
            let ordinal = sequences.count
            ordinalOfStream[event.stream.rawValue] = ordinal
            let row = CustomerRow(created: created, sequence: event.position)
            sequences.append(event.position)
            profiles.append(CustomerRowCodec.encodeProfile(row))
            createdAt.append(row.createdAt)
            statuses.append(.unverified)
            verifiedAt.append(nil)
            let folded = FoldedRow(row)
            collations.append(ListOrderKey.collation(folded: folded.email))
            collations.append(ListOrderKey.collation(folded: folded.firstName))
            collations.append(ListOrderKey.collation(folded: folded.lastName))
            grams.add(ordinal: ordinal, sequence: event.position, fields: folded.searchFields)
        } else if event.typeIs("EmailVerified") {
            if let ordinal = ordinalOfStream[event.stream.rawValue], case .emailVerified(let verified) = try decode(event, type: CustomerEvent.emailVerifiedTypeName) {
                statuses[ordinal] = .verified
                verifiedAt[ordinal] = verified.verifiedAt
            }
        }
        return accept(event)
    }

    private func accept(_ event: EventView) -> Bool {
        lastPosition = event.position
        return true
    }

    private func decode(_ event: EventView, type: String) throws -> CustomerEvent {
        do {
            return try CustomerEvent.decode(typeName: type, schemaVersion: event.schemaVersion, payload: event.payload)
        } catch {
            throw ProjectionError.undecodableEvent(position: event.position, type: type, reason: "\(error)")
        }
    }

    // MARK: Writing

    /// Writes all tables, `putsPerTransaction` entries per write transaction; `transact` runs one write
    /// transaction (the rebuilder checks there that its run still owns the shadow tables).
    func write(
        into names: CustomerListTableNames, putsPerTransaction: Int,
        transact: ((StoreWriter) throws -> Void) throws -> Void
    ) throws {
        ordinalOfStream = [:]  // not needed any more: give the memory back before the writes
        let count = sequences.count
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        // Rows, by sequence.
        try inTransactions(count: count, size: putsPerTransaction, transact: transact) { writer in
            let rows = writer.transaction.table(names.rows)
            let transaction = writer.writeTransaction
            return { ordinal in
                buffer.removeAll(keepingCapacity: true)
                self.profiles.appendBytes(at: ordinal, to: &buffer)
                CustomerRowCodec.appendStatus(
                    self.statuses[ordinal], createdAt: self.createdAt[ordinal], verifiedAt: self.verifiedAt[ordinal], to: &buffer)
                try transaction.put(rows, BigEndianUInt64(self.sequences[ordinal]), buffer, options: .append)
            }
        }
        // Order index: field-major, then status, then the field's order.
        let empty = [UInt8]()
        for field in ListOrderKey.Field.allCases {
            for status in CustomerStatus.allCases {
                var ordinals = (0..<count).filter { statuses[$0] == status }
                if field != .created { sortByCollation(&ordinals, field: field) }
                let prefix = [field.rawValue, ListOrderKey.statusCode(status)]
                let slot = Int(field.rawValue) - 2
                try inTransactions(count: ordinals.count, size: putsPerTransaction, transact: transact) { writer in
                    let order = writer.transaction.table(names.order)
                    let transaction = writer.writeTransaction
                    return { index in
                        let ordinal = ordinals[index]
                        buffer.removeAll(keepingCapacity: true)
                        buffer.append(contentsOf: prefix)
                        if field != .created {
                            self.collations.appendBytes(at: 3 * ordinal + slot, to: &buffer)
                            buffer.append(0)
                        }
                        appendBigEndian(self.sequences[ordinal], to: &buffer)
                        try transaction.put(order, buffer, empty, options: .append)
                    }
                }
            }
        }
        // Trigram blocks, by trigram then first sequence.
        let blocks = grams.finishedBlocks()
        try inTransactions(count: blocks.count, size: putsPerTransaction, transact: transact) { writer in
            let table = writer.transaction.table(names.grams)
            let transaction = writer.writeTransaction
            return { index in
                let block = blocks[index]
                try transaction.put(table, PostingBlock.key(gram: block.gram, firstSequence: block.first), self.grams.value(of: block), options: .append)
            }
        }
        // Counters and status bits.
        try transact { writer in
            let tables = CustomerListTables(names, in: writer.transaction)
            for status in CustomerStatus.allCases {
                try StatusCounters.add(statuses.lazy.filter { $0 == status }.count, to: status, tables: tables, in: writer)
            }
            try StatusBits.set((0..<count).filter { statuses[$0] == .verified }.map { sequences[$0] }, verified: true, tables: tables, in: writer)
        }
    }

    /// Ties of the collation are broken by sequence, which is the ordinal order.
    private func sortByCollation(_ ordinals: inout [Int], field: ListOrderKey.Field) {
        let slot = Int(field.rawValue) - 2
        let prefixes = ordinals.map { collations.prefix64(at: 3 * $0 + slot) }
        var indices = Array(ordinals.indices)
        indices.sort { lhs, rhs in
            if prefixes[lhs] != prefixes[rhs] { return prefixes[lhs] < prefixes[rhs] }
            let order = collations.compare(3 * ordinals[lhs] + slot, 3 * ordinals[rhs] + slot)
            return order != 0 ? order < 0 : ordinals[lhs] < ordinals[rhs]
        }
        ordinals = indices.map { ordinals[$0] }
    }

    /// Runs `count` puts in write transactions of `size`; `open` is called once per transaction (to look the
    /// tables up once) and returns the put for one index.
    private func inTransactions(
        count: Int, size: Int, transact: ((StoreWriter) throws -> Void) throws -> Void,
        _ open: (StoreWriter) throws -> (Int) throws -> Void
    ) throws {
        try withoutActuallyEscaping(open) { open in
            var start = 0
            while start < count {
                let end = min(count, start + size)
                try transact { writer in
                    let put = try open(writer)
                    for index in start..<end { try put(index) }
                }
                start = end
            }
        }
    }
}

/// The trigram posting lists being built, one builder per trigram, indexed through a dense 2²⁴ directory.
/// Finished blocks of every trigram go to one shared arena (growing 50 000 small arrays cost more in copies and
/// page faults than the encoding itself).
private struct GramBuilders {
    struct Builder {
        var gram: UInt32
        /// The open block's entries (without header).
        var current: [UInt8] = []
        var count = 0
        var first: UInt64 = 0
        var last: UInt64 = 0
        var lastOrdinal = -1
        /// Where the open entry's last place starts, to set its "more" bit when another place follows.
        var lastPlaceAt = 0

        init(gram: UInt32) { self.gram = gram }
    }

    struct BlockRef {
        let gram: UInt32
        let first: UInt64
        let start: Int
        let end: Int
    }

    private var slotOfGram = [Int32](repeating: -1, count: 1 << 24)
    private var builders: [Builder] = []
    private var arena: [UInt8] = []
    private var blocks: [BlockRef] = []

    mutating func add(ordinal: Int, sequence: UInt64, fields: [(field: UInt8, text: [UInt8])]) {
        for (field, text) in fields where !text.isEmpty {
            let count = min(text.count, SearchFields.maxOffset + 1)
            for offset in 0..<count {
                let b0 = UInt32(text[offset])
                let b1 = UInt32(offset + 1 < text.count ? text[offset + 1] : 1)
                let b2 = UInt32(offset + 2 < text.count ? text[offset + 2] : 1)
                let gram = b0 << 16 | b1 << 8 | b2
                var slot = Int(slotOfGram[Int(gram)])
                if slot < 0 {
                    slot = builders.count
                    slotOfGram[Int(gram)] = Int32(slot)
                    builders.append(Builder(gram: gram))
                }
                add(slot: slot, ordinal: ordinal, sequence: sequence, place: UInt64(offset) << 2 | UInt64(field))
            }
        }
    }

    private mutating func add(slot: Int, ordinal: Int, sequence: UInt64, place: UInt64) {
        if builders[slot].lastOrdinal == ordinal {
            builders[slot].current[builders[slot].lastPlaceAt] |= 1
        } else {
            if builders[slot].count == PostingBlock.capacity { finishBlock(slot) }
            if builders[slot].count == 0 {
                builders[slot].first = sequence
            } else {
                PostingBlock.appendVarUInt(sequence - builders[slot].last, to: &builders[slot].current)
            }
            builders[slot].last = sequence
            builders[slot].count += 1
            builders[slot].lastOrdinal = ordinal
        }
        builders[slot].lastPlaceAt = builders[slot].current.count
        PostingBlock.appendVarUInt(place << 1, to: &builders[slot].current)
    }

    private mutating func finishBlock(_ slot: Int) {
        let builder = builders[slot]
        guard builder.count > 0 else { return }
        let start = arena.count
        arena.append(UInt8(builder.count))
        appendBigEndian(builder.last, to: &arena)
        arena.append(contentsOf: builder.current)
        blocks.append(BlockRef(gram: builder.gram, first: builder.first, start: start, end: arena.count))
        builders[slot].current.removeAll(keepingCapacity: true)
        builders[slot].count = 0
    }

    /// Every block in key order (closes the open blocks).
    mutating func finishedBlocks() -> [BlockRef] {
        for slot in builders.indices { finishBlock(slot) }
        builders = []
        blocks.sort { ($0.gram, $0.first) < ($1.gram, $1.first) }
        return blocks
    }

    func value(of ref: BlockRef) -> ArraySlice<UInt8> {
        arena[ref.start..<ref.end]
    }
}
