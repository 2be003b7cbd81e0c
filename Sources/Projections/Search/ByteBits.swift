import CompactCodec
import EventStore

/// Which bytes each customer's searched text holds (`customer-list.bytes`): chunk (sequence / 8192, u64 BE) ‖
/// byte → 1024-byte bitmap, bit `sequence % 8192` (least significant bit of each byte first, as `StatusBits`),
/// and no entry where every bit is clear.
///
/// A one-byte search asks for every customer with that byte anywhere in a searched field: the union of every
/// trigram list that starts with it (fields are padded, so each byte starts a trigram), some 2–4 M postings at
/// 1 M customers, where these bitmaps are a few hundred 1 KB values. A bit is set exactly when the customer's
/// postings *in the blocks* include a trigram that starts with that byte: a customer whose postings are still
/// pending (`PendingPostings`) gets its bits when its record leaves, at the end of the merge that moved it, so a
/// single create writes nothing here, and search checks the pending records as it always does. Chunk first in
/// the key: the customers of one merge have neighbouring sequences, so their bitmaps share pages.
enum ByteBits {
    static let bitsPerChunk: UInt64 = 8192
    static let chunkBytes = 1024
    /// log2(`bitsPerChunk`): a bit's place in its chunk takes this many bits.
    private static let bitShift = UInt64(bitsPerChunk.trailingZeroBitCount)

    static func key(chunk: UInt64, byte: UInt8) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(9)
        appendBigEndian(chunk, to: &key)
        key.append(byte)
        return key
    }

    /// The bytes of `fields` that start one of their trigrams (`SearchFields.appendOccurrences`), ascending.
    static func bytes(of fields: [(field: UInt8, text: [UInt8])]) -> [UInt8] {
        var seen = [Bool](repeating: false, count: 256)
        for (_, text) in fields {
            for byte in text.prefix(SearchFields.maxOffset + 1) { seen[Int(byte)] = true }
        }
        return (0..<256).compactMap { seen[$0] ? UInt8($0) : nil }
    }

    /// The bytes that start a trigram of a pending record (`PendingPostings`), ascending.
    static func bytes(ofRecord record: UnsafeRawBufferPointer) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index + PendingPostings.entrySize <= record.count {
            let byte = record[index]
            if result.last != byte { result.append(byte) }
            index += PendingPostings.entrySize
        }
        return result
    }

    /// Sets (`set`) or clears the bits of each customer for the given bytes: one read and one write per
    /// (chunk, byte) touched; a bitmap left empty is deleted.
    static func update(_ changes: [(sequence: UInt64, bytes: [UInt8])], set: Bool, table: Table, in writer: StoreWriter) throws {
        // Each bit as one integer, chunk ‖ byte ‖ bit (sequences stay far below 2⁵⁶, so a chunk fits in 43 bits):
        // sorting them sorts by key, and a merge's tens of thousands of bits allocate nothing each.
        var bits: [UInt64] = []
        bits.reserveCapacity(changes.reduce(0) { $0 + $1.bytes.count })
        for (sequence, bytes) in changes {
            let chunkAndBit = (sequence / bitsPerChunk) << (8 + bitShift) | sequence % bitsPerChunk
            for byte in bytes { bits.append(chunkAndBit | UInt64(byte) << bitShift) }
        }
        bits.sort()
        var index = 0
        while index < bits.count {
            let chunkAndByte = bits[index] >> bitShift
            let key = key(chunk: chunkAndByte >> 8, byte: UInt8(truncatingIfNeeded: chunkAndByte))
            var value = try writer.value(table, key) ?? [UInt8](repeating: 0, count: chunkBytes)
            if value.count != chunkBytes { value = [UInt8](repeating: 0, count: chunkBytes) }
            while index < bits.count && bits[index] >> bitShift == chunkAndByte {
                let bit = Int(bits[index] & (bitsPerChunk - 1))
                if set { value[bit >> 3] |= 1 << UInt8(bit & 7) } else { value[bit >> 3] &= ~(1 << UInt8(bit & 7)) }
                index += 1
            }
            if value.allSatisfy({ $0 == 0 }) {
                _ = try writer.delete(table, key)
            } else {
                try writer.put(table, key, value)
            }
        }
    }

    /// A customer's text changed (an edit, an email change, an erasure) while its postings are in the blocks.
    static func replace(sequence: UInt64, old: [(field: UInt8, text: [UInt8])], new: [(field: UInt8, text: [UInt8])], table: Table, in writer: StoreWriter) throws {
        let before = Set(bytes(of: old))
        let after = Set(bytes(of: new))
        try update([(sequence, before.subtracting(after).sorted())], set: false, table: table, in: writer)
        try update([(sequence, after.subtracting(before).sorted())], set: true, table: table, in: writer)
    }

    /// Adds every customer whose bit for `byte` is set to `set`: one seek per chunk.
    static func insertAll(byte: UInt8, into set: inout SequenceBitSet, table: Table, in reader: StoreReader) throws {
        try reader.withCursor(table) { cursor in
            var chunk: UInt64 = 0
            while try cursor.seek(atOrAfter: key(chunk: chunk, byte: byte)) {
                guard cursor.key.count == 9 else { return }
                let found = readBigEndianUInt64(cursor.key)
                let foundByte = cursor.key[8]
                if foundByte == byte { try set.formUnion(chunk: cursor.value, firstSequence: found * bitsPerChunk) }
                // The key is at or after (chunk, byte): past the byte in `found`'s chunk, or before it in a later one.
                chunk = foundByte >= byte ? found + 1 : found
            }
        }
    }

    // MARK: Format 3 → 4

    /// Builds the bitmaps of a table set written before they existed (formats 2 and 3): merges what is pending
    /// (so that every customer is in the blocks), then sets each one's bits from the blocks, the first byte of a
    /// trigram for every list that holds the customer. O(index), once per table set.
    static func build(_ tables: TrigramTables, in writer: StoreWriter) throws {
        try PendingPostings.mergeAll(tables, in: writer)
        var sets: [SequenceBitSet?] = Array(repeating: nil, count: 256)
        try writer.withCursor(tables.postings) { cursor in
            var positioned = try cursor.first()
            while positioned {
                let key = cursor.key
                if key.count == 11 {
                    let byte = Int(key[0])
                    if sets[byte] == nil { sets[byte] = SequenceBitSet() }
                    try sets[byte]!.insertAll(ofBlock: cursor.value, firstSequence: readBigEndianUInt64(key, at: 3))
                }
                positioned = try cursor.next()
            }
        }
        let wordsPerChunk = Int(bitsPerChunk / 64)
        let words = sets.compactMap { $0?.words.count }.max() ?? 0
        let chunks = (words + wordsPerChunk - 1) / wordsPerChunk
        var value = [UInt8](repeating: 0, count: chunkBytes)
        for chunk in 0..<chunks {
            for byte in 0..<256 {
                guard let words = sets[byte]?.words else { continue }
                let first = chunk * wordsPerChunk
                guard first < words.count, words[first..<min(words.count, first + wordsPerChunk)].contains(where: { $0 != 0 }) else { continue }
                for index in 0..<wordsPerChunk {
                    let word = first + index < words.count ? words[first + index] : 0
                    for shift in 0..<8 { value[index * 8 + shift] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(shift))) }
                }
                try writer.put(tables.bytes, key(chunk: UInt64(chunk), byte: UInt8(byte)), value)
            }
        }
    }

    // MARK: Comparing

    /// The bitmaps with the bits of every pending customer added: the content two indexes are compared by,
    /// since a customer reaches the bitmaps when its pending record leaves, which the live list and a rebuild
    /// need not do at the same point (`PendingPostings`). Key order.
    static func content(_ tables: TrigramTables, in reader: StoreReader) throws -> [([UInt8], [UInt8])] {
        var entries: [[UInt8]: [UInt8]] = [:]
        try reader.withCursor(tables.bytes) { cursor in
            var positioned = try cursor.first()
            while positioned {
                entries[Array(cursor.key)] = Array(cursor.value)
                positioned = try cursor.next()
            }
        }
        try PendingPostings.forEachRecord(tables, in: reader) { sequence, record in
            let bit = Int(sequence % bitsPerChunk)
            for byte in bytes(ofRecord: record) {
                let key = key(chunk: sequence / bitsPerChunk, byte: byte)
                var value = entries[key] ?? [UInt8](repeating: 0, count: chunkBytes)
                value[bit >> 3] |= 1 << UInt8(bit & 7)
                entries[key] = value
            }
        }
        return entries.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }
    }

    /// Compares two sets' bitmaps by `content`: `report` gets the key (chunk ‖ byte) and each side's bitmap.
    static func compareContent(
        live: TrigramTables, rebuilt: TrigramTables, in reader: StoreReader,
        _ report: (_ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws {
        let left = try content(live, in: reader)
        let right = try content(rebuilt, in: reader)
        var (l, r) = (0, 0)
        while l < left.count || r < right.count {
            if l < left.count, r < right.count, left[l].0 == right[r].0 {
                if left[l].1 != right[r].1 { report(left[l].0, .different, left[l].1, right[r].1) }
                l += 1
                r += 1
            } else if l < left.count, r >= right.count || left[l].0.lexicographicallyPrecedes(right[r].0) {
                report(left[l].0, .extra, left[l].1, nil)
                l += 1
            } else {
                report(right[r].0, .missing, nil, right[r].1)
                r += 1
            }
        }
    }
}
