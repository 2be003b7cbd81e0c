import EventStore

/// Finds the customers whose reference, email, first or last name contains a query (case-insensitively, see
/// `TextFolding`), from the trigram index alone: no row is read and the answer is exact.
///
/// - 4 or more bytes (after folding): the query's trigrams t₀…tₖ; a customer matches when, for some field and
///   offset o, each tᵢ occurs at o + i. Trigrams whose spans cover the query are enough for that (`SearchCover`),
///   so only those lists are walked, block by block where they lie, the shortest driving and the others seeking
///   its customers (skipping whole blocks by their headers), and the places are checked only for customers in
///   every list. Nothing per posting is copied. Cost: decoding the shortest list and the blocks of the others
///   that can hold one of its customers.
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
            try insertMatches(query, grams: grams.postings, in: reader, into: &set)
        }
        try PendingPostings.forEachMatch(query, grams, in: reader) { set.insert($0) }
        return set
    }

    /// Adds each match of a query of 4 or more bytes to `set`.
    ///
    /// Only a cover of the query is walked (`SearchCover`): trigrams whose spans together hold every byte, so a
    /// customer whose places line them up holds the whole query. A 6-byte query needs 2 of its 4 lists, which
    /// halves what a wide search decodes. The shortest list of all drives, even when the cover does not need it:
    /// it only narrows the candidates. The lists are joined a block at a time (`PostingJoin`), and the places are
    /// checked only for customers in every list.
    private static func insertMatches(_ query: [UInt8], grams: Table, in reader: StoreReader, into set: inout SequenceBitSet) throws {
        guard !query.contains(0), !query.contains(1) else { return }
        let gramCount = query.count - 2
        // Distinct trigrams, each list loaded once; `listOfOffset[o]` is the list of the trigram at offset o.
        var distinct: [[UInt8]] = []
        var listOfGram: [[UInt8]: Int] = [:]
        var listOfOffset: [Int] = []
        for offset in 0..<gramCount {
            let gram = Array(query[offset..<offset + 3])
            if let existing = listOfGram[gram] {
                listOfOffset.append(existing)
                continue
            }
            listOfGram[gram] = distinct.count
            listOfOffset.append(distinct.count)
            distinct.append(gram)
        }
        let loaded = try distinct.map { try PostingList.load(gram: $0, table: grams, in: reader) }
        if loaded.contains(where: { $0.count == 0 }) { return }
        let coverOffsets = SearchCover.offsets(lengths: listOfOffset.map { loaded[$0].count })
        // The lists walked: the cover's, and the shortest of all when it is not one of them.
        var walked: [Int] = []
        for offset in coverOffsets where !walked.contains(listOfOffset[offset]) { walked.append(listOfOffset[offset]) }
        let shortest = loaded.indices.min { loaded[$0].count < loaded[$1].count } ?? 0
        if !walked.contains(shortest) { walked.append(shortest) }
        let driver = walked.firstIndex(of: shortest) ?? 0
        // The place checks: the cover's trigrams beyond the first, as (walked list, place distance).
        let steps = coverOffsets.dropFirst().map {
            (list: walked.firstIndex(of: listOfOffset[$0]) ?? 0, placeDelta: UInt16($0 << SearchFields.fieldBits))
        }
        try PostingJoin.join(
            walked.map { loaded[$0] }, driver: driver, first: walked.firstIndex(of: listOfOffset[0]) ?? 0, steps: steps, into: &set)
    }
}
