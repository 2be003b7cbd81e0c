import EventStore

/// Finds the customers whose reference, email, first or last name contains a query (case-insensitively, see
/// `TextFolding`), from the trigram index alone: no row is read and the answer is exact.
///
/// - 4 or more bytes (after folding): the query's trigrams t₀…tₖ; a customer matches when, for some field and
///   offset o, each tᵢ occurs at o + i. The lists are walked block by block where they lie, the shortest
///   driving and the others seeking its customers (skipping whole blocks by their headers), and the places are
///   checked only for customers in every list. Nothing per posting is copied. Cost: decoding the shortest list
///   and the blocks of the others that can hold one of its customers.
/// - 3 bytes: the one trigram's list is the answer (no places to check), decoded straight into the set.
/// - 1 byte, in a table set that has them (`CustomerListFormat.hasByteBits`): that byte's bitmaps (`ByteBits`),
///   a few hundred 1 KB values instead of millions of postings.
/// - 1 or 2 bytes: the union of every trigram list whose trigram starts with the query (the 0x01 padding makes
///   a field's last one or two bytes such a prefix). Cost: O(Σ lengths of those lists), e.g. ~30–60 lists for
///   two ASCII letters; a one-letter search reads a large share of the index and is the slowest case
///   (documented; the CLI accepts it because it is still bounded by the index size, not by a row scan).
enum CustomerSearch {
    /// The matching creation sequences; `capacity` (the largest creation sequence) sizes the set once.
    /// Customers whose postings are still pending (`PendingPostings`) are checked there and join the set.
    static func matches(
        _ query: [UInt8], grams: TrigramTables, byteBits: Bool, capacity: UInt64, in reader: StoreReader
    ) throws -> SequenceBitSet {
        var set = SequenceBitSet(capacity: capacity)
        guard !query.isEmpty, !query.contains(0), !query.contains(1) else { return set }
        if query.count == 1 && byteBits {
            try ByteBits.insertAll(byte: query[0], into: &set, table: grams.bytes, in: reader)
        } else if query.count <= 3 {
            // A 1–3 byte prefix of the keys: the lists of every trigram that starts with the query.
            try TrigramIndex.forEachBlock(prefix: query, table: grams.postings, in: reader) { first, value in
                try set.insertAll(ofBlock: value, firstSequence: first)
            }
        } else {
            try forEachMatch(query, grams: grams.postings, in: reader) { set.insert($0) }
        }
        try PendingPostings.forEachMatch(query, grams, in: reader) { set.insert($0) }
        return set
    }

    /// Calls `body` with each match of a query of 4 or more bytes, ascending.
    ///
    /// The lists are walked block by block where they lie (`PostingCursor`): the shortest drives, each other
    /// list seeks each of its customers, and the places are checked only for customers in every list.
    private static func forEachMatch(_ query: [UInt8], grams: Table, in reader: StoreReader, _ body: (UInt64) -> Void) throws {
        guard !query.contains(0), !query.contains(1) else { return }
        let gramCount = query.count - 2
        // Distinct trigrams, each list walked once; `slot[i]` is the list of the i-th trigram of the query.
        var distinct: [[UInt8]] = []
        var listOfGram: [[UInt8]: Int] = [:]
        var slot: [Int] = []
        for offset in 0..<gramCount {
            let gram = Array(query[offset..<offset + 3])
            if let existing = listOfGram[gram] {
                slot.append(existing)
                continue
            }
            listOfGram[gram] = distinct.count
            slot.append(distinct.count)
            distinct.append(gram)
        }
        let lists = try distinct.map { try PostingList.load(gram: $0, table: grams, in: reader) }
        if lists.contains(where: { $0.count == 0 }) { return }
        let driver = lists.indices.min { lists[$0].count < lists[$1].count } ?? 0
        var cursorArray = lists.map(PostingCursor.init)
        var foundArray = [UnsafePointer<UInt8>?](repeating: nil, count: lists.count)
        // Over plain buffers: a mutation through an array's subscript checks its uniqueness every time, which
        // in this loop (once per posting of the driving list) cost as much as decoding the postings.
        try cursorArray.withUnsafeMutableBufferPointer { cursors in
            try foundArray.withUnsafeMutableBufferPointer { found in
                candidates: while try cursors[driver].next() {
                    let sequence = cursors[driver].sequence
                    found[driver] = cursors[driver].places
                    for other in 0..<cursors.count where other != driver {
                        guard try cursors[other].seek(atLeast: sequence) else { return }
                        guard cursors[other].sequence == sequence else { continue candidates }
                        found[other] = cursors[other].places
                    }
                    if occursContiguously(gramCount: gramCount, slot: slot, found: UnsafeBufferPointer(found)) { body(sequence) }
                }
            }
        }
    }

    /// Whether the query's trigrams sit at consecutive offsets of one field for this customer; `found[list]`
    /// points at the customer's places in that list.
    private static func occursContiguously(gramCount: Int, slot: [Int], found: UnsafeBufferPointer<UnsafePointer<UInt8>?>) -> Bool {
        guard var pointer = found[slot[0]] else { return false }
        while true {
            let (place, more) = PostingList.readPlace(&pointer)
            var everyStep = true
            for step in 1..<gramCount {
                guard let places = found[slot[step]], PostingList.hasPlace(places, place &+ UInt16(step << SearchFields.fieldBits)) else {
                    everyStep = false
                    break
                }
            }
            if everyStep { return true }
            if !more { return false }
        }
    }
}
