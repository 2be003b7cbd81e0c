import EventStore

/// One trigram's posting list as its blocks, where they lie in LMDB's map: the first and last sequence of each
/// and its bytes. Nothing per posting is copied; `PostingJoin` decodes the postings as a search walks them.
///
/// A wide query's lists hold a tenth of the customers each (100 000 postings at 1 M customers, ~1 600 blocks):
/// decoding them into arrays first wrote and read megabytes per search, where walking the blocks writes
/// nothing. The pointers point into the map: a `PostingList` must not outlive the read transaction it was
/// loaded in (`CustomerSearch` uses it inside one call).
struct PostingList {
    var firsts: [UInt64] = []
    var lasts: [UInt64] = []
    var blocks: [UnsafeRawBufferPointer] = []
    /// Postings in all the blocks (from their headers).
    var count = 0

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

    /// The blocks of one trigram, from their keys and headers (the entries are read by the cursor).
    static func load(gram: [UInt8], table: Table, in reader: StoreReader) throws -> PostingList {
        var list = PostingList()
        try TrigramIndex.forEachBlock(prefix: gram, table: table, in: reader) { first, value in
            let (count, last) = try PostingBlock.header(value)
            guard count > 0, last >= first else {
                throw ProjectionError.corruptIndex(table: "grams", reason: "posting block of \(count) entries ending at \(last) before its first \(first)")
            }
            list.firsts.append(first)
            list.lasts.append(last)
            list.blocks.append(value)
            list.count += count
        }
        return list
    }
}
