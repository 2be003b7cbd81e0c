import EventStore

/// Finds the customers whose reference, email, first or last name contains a query (case-insensitively, see
/// `TextFolding`), from the trigram index alone: no row is read and the answer is exact.
///
/// - 4 or more bytes (after folding): the query's trigrams t₀…tₖ; a customer matches when, for some field and
///   offset o, each tᵢ occurs at o + i. The lists are intersected starting from the shortest (galloping), and
///   the places are checked only for customers in every list. Cost: decoding the query's posting lists,
///   O(Σ list lengths).
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
            for sequence in try sortedMatches(query, grams: grams.postings, in: reader) { set.insert(sequence) }
        }
        try PendingPostings.forEachMatch(query, grams, in: reader) { set.insert($0) }
        return set
    }

    /// The matches of a query of 4 or more bytes, ascending.
    private static func sortedMatches(_ query: [UInt8], grams: Table, in reader: StoreReader) throws -> [UInt64] {
        guard !query.contains(0), !query.contains(1) else { return [] }
        let gramCount = query.count - 2
        // Distinct trigrams, each list loaded once; `slot[i]` is the list of the i-th trigram of the query.
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
        // The shortest list whole; of the others only the blocks that can hold one of its customers.
        let counts = try distinct.map { try PostingList.count(gram: $0, table: grams, in: reader) }
        if counts.contains(0) { return [] }
        let shortest = counts.indices.min { counts[$0] < counts[$1] } ?? 0
        let candidates = try PostingList.load(gram: distinct[shortest], table: grams, in: reader)
        let lists = try distinct.indices.map { index in
            index == shortest
                ? candidates : try PostingList.load(
                    gram: distinct[index], around: candidates.sequences, reserving: min(counts[index], 64 * candidates.count),
                    table: grams, in: reader)
        }
        if lists.contains(where: { $0.count == 0 }) { return [] }
        // The join runs over plain buffers: indexing arrays of structs of arrays retains on every access.
        let driver = lists.indices.min { lists[$0].count < lists[$1].count } ?? 0
        let sequences = lists.map { list in
            let buffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: list.count)
            _ = buffer.initialize(from: list.sequences)
            return UnsafeBufferPointer(buffer)
        }
        let placeStarts = lists.map { list in
            let buffer = UnsafeMutableBufferPointer<UnsafePointer<UInt8>>.allocate(capacity: list.count)
            _ = buffer.initialize(from: list.placeStarts)
            return UnsafeBufferPointer(buffer)
        }
        defer {
            for buffer in sequences { buffer.deallocate() }
            for buffer in placeStarts { buffer.deallocate() }
        }
        var cursors = [Int](repeating: 0, count: lists.count)
        var found = [UnsafePointer<UInt8>](repeating: placeStarts[driver][0], count: lists.count)
        var result: [UInt64] = []
        let driverSequences = sequences[driver]
        result.reserveCapacity(driverSequences.count)
        candidates: for index in 0..<driverSequences.count {
            let sequence = driverSequences[index]
            for other in 0..<lists.count {
                if other == driver {
                    found[other] = placeStarts[other][index]
                    continue
                }
                let position = lowerBound(sequences[other], sequence, from: cursors[other])
                cursors[other] = position
                guard position < sequences[other].count else { break candidates }
                guard sequences[other][position] == sequence else { continue candidates }
                found[other] = placeStarts[other][position]
            }
            if occursContiguously(gramCount: gramCount, slot: slot, found: found) {
                result.append(sequence)
            }
        }
        return result
    }

    /// The first index at or after `from` whose value is >= `target` (galloping, then binary search).
    private static func lowerBound(_ values: UnsafeBufferPointer<UInt64>, _ target: UInt64, from: Int) -> Int {
        var low = from
        var step = 1
        var high = from
        while high < values.count && values[high] < target {
            low = high + 1
            high += step
            step <<= 1
        }
        high = min(high, values.count)
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether the query's trigrams sit at consecutive offsets of one field for this customer; `found[list]`
    /// points at the customer's places in that list.
    private static func occursContiguously(gramCount: Int, slot: [Int], found: [UnsafePointer<UInt8>]) -> Bool {
        var pointer = found[slot[0]]
        while true {
            let (place, more) = PostingList.readPlace(&pointer)
            var everyStep = true
            for step in 1..<gramCount where !PostingList.hasPlace(found[slot[step]], place &+ UInt16(step << SearchFields.fieldBits)) {
                everyStep = false
                break
            }
            if everyStep { return true }
            if !more { return false }
        }
    }
}
