import CompactCodec
import EventStore

/// Writes and reads `customer-list.grams`: trigram ‖ first sequence (u64 BE) → `PostingBlock`.
enum TrigramIndex {
    /// The occurrences of a batch of new customers, as `gram << 40 | row << 16 | place`, where `row` indexes
    /// `sequences` (ascending).
    struct Additions {
        var sequences: [UInt64] = []
        var occurrences: [UInt64] = []

        /// Each customer's bytes that start one of its trigrams (`ByteBits`), ascending.
        var bytesPerCustomer: [(sequence: UInt64, bytes: [UInt8])] {
            var seen = [[Bool]](repeating: [Bool](repeating: false, count: 256), count: sequences.count)
            for occurrence in occurrences {
                seen[Int(truncatingIfNeeded: (occurrence >> 16) & 0xFF_FFFF)][Int(truncatingIfNeeded: occurrence >> 56)] = true
            }
            return sequences.indices.map { row in (sequences[row], (0..<256).compactMap { seen[row][$0] ? UInt8($0) : nil }) }
        }

        /// Adds one customer (its occurrences from `SearchFields.appendOccurrences`, any order).
        mutating func add(sequence: UInt64, fields: [(field: UInt8, text: [UInt8])]) {
            let row = UInt64(sequences.count)
            sequences.append(sequence)
            SearchFields.appendOccurrences(fields, row: row, to: &occurrences)
        }
    }

    /// Indexes a batch of new customers (all with sequences above every indexed one): a small batch (the
    /// inline path of single commands) as pending records plus one amortised merge step, a large one straight
    /// into the blocks after merging what is pending (see `PendingPostings`).
    static func add(
        _ additions: Additions, table: TrigramTables, mergeThreshold: Int, in writer: StoreWriter
    ) throws {
        guard !additions.sequences.isEmpty else { return }
        if additions.sequences.count <= PendingPostings.directLimit {
            try PendingPostings.add(additions, table, mergeThreshold: mergeThreshold, in: writer)
        } else {
            try PendingPostings.mergeAll(table, in: writer)
            try appendToBlocks(additions, table: table.postings, in: writer)
            try ByteBits.update(additions.bytesPerCustomer, set: true, table: table.bytes, in: writer)
        }
    }

    /// Appends a batch of new customers (all with sequences above every one in the blocks) to each trigram's
    /// list, touching each trigram's last block once per batch.
    static func appendToBlocks(_ additions: Additions, table: Table, in writer: StoreWriter) throws {
        guard !additions.occurrences.isEmpty else { return }
        // One cursor for the whole batch (re-seeked per trigram; puts through the transaction keep LMDB's
        // tracked cursors valid).
        try writer.withCursor(table) { cursor in
            try forEachGroup(of: additions) { gram, group in
                try append(gram: gram, group, cursor: cursor, table: table, writer: writer)
            }
        }
    }

    /// The entries of `additions`, one group per trigram in trigram order, each entry a customer's places
    /// (each `place << 1 | more`) in sequence order.
    static func forEachGroup(of additions: Additions, _ body: (UInt32, EntryGroup) throws -> Void) rethrows {
        let sorted = radixSortedByGramThenRowThenPlace(additions.occurrences)
        var index = 0
        var group = EntryGroup()
        while index < sorted.count {
            let gram = UInt32(truncatingIfNeeded: sorted[index] >> 40)
            group.removeAll()
            while index < sorted.count && UInt32(truncatingIfNeeded: sorted[index] >> 40) == gram {
                let rowKey = sorted[index] >> 16
                group.sequences.append(additions.sequences[Int(truncatingIfNeeded: rowKey & 0xFF_FFFF)])
                while index < sorted.count && sorted[index] >> 16 == rowKey {
                    let more: UInt64 = index + 1 < sorted.count && sorted[index + 1] >> 16 == rowKey ? 1 : 0
                    PostingBlock.appendVarUInt((sorted[index] & 0xFFFF) << 1 | more, to: &group.bytes)
                    index += 1
                }
                group.ends.append(group.bytes.count)
            }
            try body(gram, group)
        }
    }

    /// The new entries of one trigram: entry i is `bytes[ends[i - 1]..<ends[i]]` (from 0 for the first).
    struct EntryGroup {
        var sequences: [UInt64] = []
        var bytes: [UInt8] = []
        var ends: [Int] = []

        mutating func removeAll() {
            sequences.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
        }

        func entry(_ index: Int) -> ArraySlice<UInt8> {
            bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
        }
    }

    /// Appends `group`'s postings from `next` to a block that holds `count` postings ending at `last`, until the
    /// block is full or the group is used up; returns the block's new count and last sequence.
    private static func fill(
        _ value: inout [UInt8], count: Int, last: UInt64, from group: EntryGroup, next: inout Int
    ) -> (count: Int, last: UInt64) {
        var count = count
        var previous = last
        while next < group.sequences.count && count < PostingBlock.capacity {
            PostingBlock.appendVarUInt(group.sequences[next] - previous, to: &value)
            value.append(contentsOf: group.entry(next))
            previous = group.sequences[next]
            count += 1
            next += 1
        }
        return (count, previous)
    }

    /// Fills the gram's last block, then writes new blocks of `PostingBlock.capacity` entries.
    private static func append(gram: UInt32, _ group: EntryGroup, cursor: Cursor, table: Table, writer: StoreWriter) throws {
        let sequences = group.sequences
        var next = 0
        let probe = PostingBlock.key(gram: gram, firstSequence: sequences[0])
        var last: (key: [UInt8], value: [UInt8])?
        if try cursor.seek(atOrBefore: probe), cursor.key.count == 11, sameGram(cursor.key, gram) {
            last = (Array(cursor.key), Array(cursor.value))
        }
        if var (key, value) = last {
            let header = try value.withUnsafeBytes { try PostingBlock.header($0) }
            // Already indexed (a replayed event): skip what the list holds.
            while next < sequences.count && sequences[next] <= header.last { next += 1 }
            if header.count < PostingBlock.capacity && next < sequences.count {
                let (count, previous) = fill(&value, count: header.count, last: header.last, from: group, next: &next)
                PostingBlock.setHeader(count: count, last: previous, in: &value)
                try writer.put(table, key, value)
                key.removeAll()
            }
        }
        var value: [UInt8] = []
        while next < sequences.count {
            let first = sequences[next]
            value.removeAll(keepingCapacity: true)
            value.append(contentsOf: repeatElement(0, count: PostingBlock.headerCount))
            value.append(contentsOf: group.entry(next))
            next += 1
            let (count, previous) = fill(&value, count: 1, last: first, from: group, next: &next)
            PostingBlock.setHeader(count: count, last: previous, in: &value)
            try writer.put(table, PostingBlock.key(gram: gram, firstSequence: first), value)
        }
    }

    /// Stable LSD radix sort on the 24-bit gram (two 12-bit passes); the input is already in row, place order
    /// within each row, so the result is ordered by gram, then row, then place.
    static func radixSortedByGramThenRowThenPlace(_ input: [UInt64]) -> [UInt64] {
        if input.count < 2048 {
            // Small batches (the inline path: one customer): sort gram ‖ input index, which is the same stable
            // order without zeroing two 4096-entry count tables per customer.
            var keyed = input.indices.map { UInt64(input[$0] >> 40) << 40 | UInt64($0) }
            keyed.sort()
            return keyed.map { input[Int(truncatingIfNeeded: $0 & 0xFF_FFFF_FFFF)] }
        }
        var source = input
        var target = [UInt64](repeating: 0, count: input.count)
        for shift in [UInt64(40), 52] {
            var counts = [Int](repeating: 0, count: 4097)
            for value in source { counts[Int((value >> shift) & 0xFFF) + 1] += 1 }
            for bucket in 0..<4096 { counts[bucket + 1] += counts[bucket] }
            for value in source {
                let bucket = Int((value >> shift) & 0xFFF)
                target[counts[bucket]] = value
                counts[bucket] += 1
            }
            swap(&source, &target)
        }
        return source
    }

    @inline(__always)
    static func sameGram(_ key: UnsafeRawBufferPointer, _ gram: UInt32) -> Bool {
        key[0] == UInt8(truncatingIfNeeded: gram >> 16) && key[1] == UInt8(truncatingIfNeeded: gram >> 8)
            && key[2] == UInt8(truncatingIfNeeded: gram)
    }

    /// Calls `body` for every block whose key starts with `prefix` (1–3 bytes), in key order.
    static func forEachBlock(
        prefix: [UInt8], table: Table, in reader: StoreReader,
        _ body: (_ firstSequence: UInt64, _ value: UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let first = prefix.first ?? 0
        let second: UInt8? = prefix.count > 1 ? prefix[1] : nil
        let third: UInt8? = prefix.count > 2 ? prefix[2] : nil
        try reader.withCursor(table) { cursor in
            var positioned = try cursor.seek(atOrAfter: prefix)
            while positioned {
                let key = cursor.key
                // Byte compares, not `starts(with:)`: this runs once per block of a short query's union.
                guard key.count == 11, prefix.isEmpty || key[0] == first, second.map({ key[1] == $0 }) ?? true, third.map({ key[2] == $0 }) ?? true else { return }
                try body(readBigEndianUInt64(UnsafeRawBufferPointer(rebasing: key[3...])), cursor.value)
                positioned = try cursor.next()
            }
        }
    }
}
