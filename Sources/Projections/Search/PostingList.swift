import EventStore

/// A whole trigram posting list, decoded: the customers in sequence order and, per customer, where its places
/// (`offset << SearchFields.fieldBits | field` varints) start in the map.
///
/// Places are decoded only for customers found in every list of a query (`places(at:)`), which is most of the
/// time a small fraction. The pointers point into LMDB's map: a `PostingList` must not outlive the read
/// transaction it was loaded in (`CustomerSearch` uses it inside one call).
struct PostingList {
    var sequences: [UInt64] = []
    var placeStarts: [UnsafePointer<UInt8>] = []

    var count: Int { sequences.count }

    /// Reads one place varint (`place << 1 | more`) and moves past it.
    @inline(__always)
    static func readPlace(_ pointer: inout UnsafePointer<UInt8>) -> (place: UInt16, more: Bool) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = pointer.pointee
            pointer += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 || shift >= 63 { break }
            shift += 7
        }
        return (UInt16(truncatingIfNeeded: value >> 1), value & 1 == 1)
    }

    /// Whether the places starting at `start` include `place`.
    static func hasPlace(_ start: UnsafePointer<UInt8>, _ place: UInt16) -> Bool {
        var pointer = start
        while true {
            let (found, more) = readPlace(&pointer)
            if found == place { return true }
            if !more { return false }
        }
    }

    /// The whole list of one trigram. Blocks are checked to be well formed while loading, so that
    /// `places(at:)` can read without bounds checks.
    static func load(gram: [UInt8], table: Table, in reader: StoreReader) throws -> PostingList {
        // First pass over the block headers only, so that the arrays are allocated once: growing them by
        // doubling cost more than the decoding (copies and fresh pages from the kernel).
        try load(gram: gram, table: table, in: reader, reserving: count(gram: gram, table: table, in: reader))
    }

    /// The number of postings of a trigram, from the block headers alone.
    static func count(gram: [UInt8], table: Table, in reader: StoreReader) throws -> Int {
        var count = 0
        try TrigramIndex.forEachBlock(prefix: gram, table: table, in: reader) { _, value in
            count += Int(try PostingBlock.header(value).count)
        }
        return count
    }

    /// Only the blocks that may hold one of `candidates` (ascending): the others are skipped by their header
    /// (first and last sequence) without decoding, so intersecting a short list with a long one costs about
    /// the short one. The result holds every posting of the list whose sequence is a candidate; `count` (the
    /// list's length, an upper bound) sizes the arrays once.
    static func load(
        gram: [UInt8], around candidates: [UInt64], reserving count: Int, table: Table, in reader: StoreReader
    ) throws -> PostingList {
        var list = PostingList()
        list.sequences.reserveCapacity(count)
        list.placeStarts.reserveCapacity(count)
        var next = 0
        try TrigramIndex.forEachBlock(prefix: gram, table: table, in: reader) { first, value in
            guard next < candidates.count else { return }
            let last = try PostingBlock.header(value).last
            while next < candidates.count && candidates[next] < first { next += 1 }
            guard next < candidates.count, candidates[next] <= last else { return }
            try PostingBlock.forEachSequence(value, firstSequence: first) { sequence, places in
                list.sequences.append(sequence)
                list.placeStarts.append(places)
            }
        }
        return list
    }

    private static func load(gram: [UInt8], table: Table, in reader: StoreReader, reserving count: Int) throws -> PostingList {
        var list = PostingList()
        list.sequences.reserveCapacity(count)
        list.placeStarts.reserveCapacity(count)
        try TrigramIndex.forEachBlock(prefix: gram, table: table, in: reader) { first, value in
            try PostingBlock.forEachSequence(value, firstSequence: first) { sequence, places in
                list.sequences.append(sequence)
                list.placeStarts.append(places)
            }
        }
        return list
    }
}
