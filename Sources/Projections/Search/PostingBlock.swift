import CompactCodec
import EventStore

/// One block of a trigram's posting list (value in `customer-list.grams`, keyed `trigram ‖ first sequence`).
///
/// A posting is a customer (its creation sequence) plus every place the trigram occurs in its searchable
/// fields, as `offset << SearchFields.fieldBits | field`. Keeping the places makes a search exact without reading any row: a query
/// occurs at (field, offset) exactly when each of its trigrams occurs at (field, offset + i).
///
/// Layout: entry count (1 byte) · last sequence (u64 BE) · entries. The first entry's sequence is the key's;
/// each later entry starts with the varint distance to the previous sequence. An entry's places follow as
/// varints `place << 1 | more`. The header lets an append find the end of the block without decoding it.
/// Customers only ever join at the end of a list (sequences are log positions), so a block is appended to
/// until it holds `capacity` entries, then a new block starts. The rule depends only on the list, never on
/// how events were batched, so a rebuild writes exactly the bytes the live projection holds.
enum PostingBlock {
    static let capacity = 64
    static let headerCount = 9

    static func key(gram: UInt32, firstSequence: UInt64) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(truncatingIfNeeded: gram >> 16), UInt8(truncatingIfNeeded: gram >> 8), UInt8(truncatingIfNeeded: gram)]
        bytes.reserveCapacity(11)
        appendBigEndian(firstSequence, to: &bytes)
        return bytes
    }

    @inline(__always)
    static func appendVarUInt(_ value: UInt64, to bytes: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Writes the header in place (the first `headerCount` bytes of `bytes`).
    static func setHeader(count: Int, last: UInt64, in bytes: inout [UInt8]) {
        bytes[0] = UInt8(count)
        var value = last.bigEndian
        withUnsafeBytes(of: &value) { raw in
            for index in 0..<8 { bytes[1 + index] = raw[index] }
        }
    }

    /// The entry count and last sequence of a stored block.
    static func header(_ value: UnsafeRawBufferPointer) throws -> (count: Int, last: UInt64) {
        guard value.count >= headerCount else {
            throw ProjectionError.corruptIndex(table: "grams", reason: "posting block of \(value.count) bytes")
        }
        return (Int(value[0]), readBigEndianUInt64(value, at: 1))
    }
}

extension PostingBlock {
    static let truncated = ProjectionError.corruptIndex(table: "grams", reason: "truncated posting block")

    /// Reads the varint at `offset` of a block's bytes (`end` of them) and moves past it; a varint that runs
    /// past the end (or past 64 bits) is a damaged block. Wrapping arithmetic and masked shifts: the search
    /// decodes millions of these per query, and overflow checks per byte cost as much as the decoding (the
    /// guard already keeps `offset` and `shift` in range).
    @inline(__always)
    static func readDelta(_ base: UnsafePointer<UInt8>, _ offset: inout Int, end: Int) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw truncated }
            let byte = base[offset]
            offset &+= 1
            value |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return value }
            shift &+= 7
        }
    }

    /// Moves past one entry's places: varints whose first byte's low bit says whether another place follows.
    /// Checked against `end`, so that the places can be read afterwards without bounds checks.
    @inline(__always)
    static func skipPlaces(_ base: UnsafePointer<UInt8>, _ offset: inout Int, end: Int) throws {
        while true {
            guard offset < end else { throw truncated }
            let more = base[offset] & 1
            while offset < end && base[offset] >= 0x80 { offset &+= 1 }
            guard offset < end else { throw truncated }
            offset &+= 1
            if more == 0 { return }
        }
    }

    /// Calls `body` with each sequence of the block and where its places start (in the map), checking that
    /// the block is well formed but without decoding the places.
    @inline(__always)
    static func forEachSequence(
        _ value: UnsafeRawBufferPointer, firstSequence: UInt64, _ body: (UInt64, UnsafePointer<UInt8>) throws -> Void
    ) throws {
        let (count, _) = try header(value)
        guard let base = value.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let end = value.count
        var offset = headerCount
        var sequence = firstSequence
        for entry in 0..<count {
            if entry > 0 { sequence &+= try readDelta(base, &offset, end: end) }
            try body(sequence, base + offset)
            try skipPlaces(base, &offset, end: end)
        }
    }
}
