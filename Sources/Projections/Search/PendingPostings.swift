import CompactCodec
import EventStore

/// The postings of recently created customers, kept apart from the posting blocks so that one create writes
/// one small record instead of rewriting the last block of each of its ~48 trigrams (dozens of dirty pages,
/// each written and synced by the commit).
///
/// - **A record per customer**: key = creation sequence (u64 BE); value = its occurrences as 5-byte entries
///   trigram (3 bytes) ‖ place (u16 BE), sorted by trigram, a trigram's places in the order a block holds them.
///   New customers have the largest sequences, so adding one appends to the table's last page.
/// - **Search** (`forEachMatch`) checks every record by the rule of the blocks (a query's trigrams at
///   consecutive offsets of one field; 1–2 bytes: some trigram starts with them) and adds the matches to those
///   of the blocks in one set, so a customer found in both counts once and `total` stays exact.
/// - **Merging is amortised.** Once a threshold of customers is pending (`defaultMergeThreshold`), a merge
///   starts over the records up to the last one (`State.boundary`) and goes through the trigrams in ascending
///   order: each following commit of the inline path appends those customers' postings of the next few trigrams
///   (at most `trigramsPerStep` per threshold's worth of pending customers, times the customers the commit adds)
///   to their blocks and records how far it got (`State.nextGram`). Below `nextGram` those customers are in the
///   blocks, from it on only here; their records go when the last trigram is merged. A batch of more than
///   `directLimit` new customers (import, a rebuild's replay, `createMany`) is large anyway: it first merges
///   everything pending, then appends to the blocks directly, in the same transaction.
///
/// Customers reach the blocks in sequence order either way, so the blocks end up with the same postings as
/// without this table. Which *bytes* do depends on when merges ran relative to edits and erasures (whether a
/// block was left one entry short, `TrigramIndex.replace`), so a rebuild and the live index are compared by
/// their postings (`PostingWalker`), not their bytes.
enum PendingPostings {
    /// Sorts after every 8-byte sequence key (sequences stay far below 2⁵⁶).
    static let stateKey: [UInt8] = [0xFF]
    /// A merge rewrites the last block of every trigram its customers have, once for all of them: the more
    /// customers a merge takes, the fewer block rewrites (dirty pages, each written and synced) per customer,
    /// since similar names and addresses share most trigrams. At 2048 a server's group-committed API creates
    /// write ~9 pages per customer (at 256: ~38). What it costs: every commit's merge step and every search
    /// read the pending records, up to a few thousand of ~250 bytes: 0.4-1.2 ms more per search (CPU p50) with
    /// 2 000 pending than with none, in the same store.
    static let defaultMergeThreshold = 2048
    static let trigramsPerStep = 4
    static let directLimit = 64
    static let entrySize = 5
    static let gramLimit: UInt32 = 1 << 24

    /// A merge in progress: the customers up to `boundary` are in the blocks for trigrams below `nextGram`.
    struct State: Equatable {
        var boundary: UInt64
        var nextGram: UInt32

        var bytes: [UInt8] {
            var bytes: [UInt8] = []
            appendBigEndian(boundary, to: &bytes)
            bytes += [UInt8(truncatingIfNeeded: nextGram >> 24), UInt8(truncatingIfNeeded: nextGram >> 16),
                      UInt8(truncatingIfNeeded: nextGram >> 8), UInt8(truncatingIfNeeded: nextGram)]
            return bytes
        }

        /// Whether `gram`'s postings of the customer at `sequence` are in the blocks already.
        func merged(sequence: UInt64, gram: UInt32) -> Bool { sequence <= boundary && gram < nextGram }
    }

    static func state(_ tables: TrigramTables, in reader: StoreReader) throws -> State? {
        try reader.get(tables.pending, stateKey) { bytes -> State? in
            guard bytes.count == 12 else { return nil }
            let gram = UInt32(bytes[8]) << 24 | UInt32(bytes[9]) << 16 | UInt32(bytes[10]) << 8 | UInt32(bytes[11])
            return State(boundary: readBigEndianUInt64(bytes), nextGram: gram)
        } ?? nil
    }

    // MARK: Records

    /// The record of one customer from its occurrences (`gram << 40 | place`, in `SearchFields` order).
    static func record(occurrences: [UInt64]) -> [UInt8] {
        let sorted = TrigramIndex.radixSortedByGramThenRowThenPlace(occurrences)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sorted.count * entrySize)
        for occurrence in sorted {
            let gram = occurrence >> 40
            bytes += [UInt8(truncatingIfNeeded: gram >> 16), UInt8(truncatingIfNeeded: gram >> 8), UInt8(truncatingIfNeeded: gram),
                      UInt8(truncatingIfNeeded: occurrence >> 8), UInt8(truncatingIfNeeded: occurrence)]
        }
        return bytes
    }

    static func record(fields: [(field: UInt8, text: [UInt8])]) -> [UInt8] {
        var occurrences: [UInt64] = []
        SearchFields.appendOccurrences(fields, row: 0, to: &occurrences)
        return record(occurrences: occurrences)
    }

    @inline(__always)
    static func gram(_ record: UnsafeRawBufferPointer, _ index: Int) -> UInt32 {
        let at = index * entrySize
        return UInt32(record[at]) << 16 | UInt32(record[at + 1]) << 8 | UInt32(record[at + 2])
    }

    @inline(__always)
    static func place(_ record: UnsafeRawBufferPointer, _ index: Int) -> UInt16 {
        let at = index * entrySize
        return UInt16(record[at + 3]) << 8 | UInt16(record[at + 4])
    }

    /// The first entry whose trigram is >= `gram`.
    static func lowerBound(_ record: UnsafeRawBufferPointer, _ gram: UInt32) -> Int {
        var low = 0
        var high = record.count / entrySize
        while low < high {
            let middle = (low + high) / 2
            if Self.gram(record, middle) < gram { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The customer's entry per trigram (places as `place << 1 | more` varints, as a block stores them),
    /// for the trigrams `include` accepts.
    static func entries(_ record: [UInt8], including include: (UInt32) -> Bool) -> [UInt32: [UInt8]] {
        record.withUnsafeBytes { raw in
            var result: [UInt32: [UInt8]] = [:]
            let count = raw.count / entrySize
            var index = 0
            while index < count {
                let gram = Self.gram(raw, index)
                var end = index
                while end < count && Self.gram(raw, end) == gram { end += 1 }
                if include(gram) {
                    var places: [UInt8] = []
                    for at in index..<end {
                        PostingBlock.appendVarUInt(UInt64(place(raw, at)) << 1 | (at + 1 < end ? 1 : 0), to: &places)
                    }
                    result[gram] = places
                }
                index = end
            }
            return result
        }
    }

    /// Every pending record, in sequence order.
    static func forEachRecord(
        _ tables: TrigramTables, in reader: StoreReader, through last: UInt64 = .max,
        _ body: (_ sequence: UInt64, _ record: UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try reader.withCursor(tables.pending) { cursor in
            var positioned = try cursor.first()
            while positioned, cursor.key.count == 8 {
                let sequence = readBigEndianUInt64(cursor.key)
                if sequence > last { return }
                try body(sequence, cursor.value)
                positioned = try cursor.next()
            }
        }
    }

    // MARK: Search

    /// Calls `body` with every pending customer that `query` (folded, without 0x00/0x01 bytes) matches.
    static func forEachMatch(_ query: [UInt8], _ tables: TrigramTables, in reader: StoreReader, _ body: (UInt64) -> Void) throws {
        guard !query.isEmpty else { return }
        try forEachRecord(tables, in: reader) { sequence, record in
            if matches(query, record) { body(sequence) }
        }
    }

    static func matches(_ query: [UInt8], _ record: UnsafeRawBufferPointer) -> Bool {
        let count = record.count / entrySize
        if query.count <= 2 {
            let low = UInt32(query[0]) << 16 | (query.count == 2 ? UInt32(query[1]) << 8 : 0)
            let index = lowerBound(record, low)
            return index < count && gram(record, index) < low + (query.count == 2 ? 1 << 8 : 1 << 16)
        }
        func gramAt(_ offset: Int) -> UInt32 { UInt32(query[offset]) << 16 | UInt32(query[offset + 1]) << 8 | UInt32(query[offset + 2]) }
        let first = gramAt(0)
        var index = lowerBound(record, first)
        while index < count && gram(record, index) == first {
            let start = place(record, index)
            var everyStep = true
            for step in 1..<(query.count - 2) {
                let wanted = gramAt(step)
                let place = start &+ UInt16(step << SearchFields.fieldBits)
                var at = lowerBound(record, wanted)
                var found = false
                while at < count && gram(record, at) == wanted {
                    if Self.place(record, at) == place { found = true; break }
                    at += 1
                }
                if !found { everyStep = false; break }
            }
            if everyStep { return true }
            index += 1
        }
        return false
    }
}
