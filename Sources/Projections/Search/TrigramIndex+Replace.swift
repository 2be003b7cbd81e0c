import CompactCodec
import EventStore

extension TrigramIndex {
    /// Re-indexes one customer whose searchable text changed (an edit): its entry leaves the lists of the
    /// trigrams whose places changed and joins the lists of the new ones, at its place by sequence.
    ///
    /// Only blocks holding that customer are rewritten. A block that shrinks stays short (later customers still
    /// join the last block of a list); one that would exceed `PostingBlock.capacity` is split, its first
    /// `capacity` entries staying. Which bytes result depends only on the blocks before and the change, so
    /// replaying the same log gives the same bytes.
    static func replace(
        sequence: UInt64, old: [(field: UInt8, text: [UInt8])], new: [(field: UInt8, text: [UInt8])], table: TrigramTables,
        in writer: StoreWriter
    ) throws {
        // A customer whose postings are still pending changes there (and in the blocks for what is merged).
        // (Such a customer has no bits in `ByteBits` yet: they come when its record leaves.)
        if try PendingPostings.replace(sequence: sequence, record: PendingPostings.record(fields: new), table, in: writer) { return }
        try replace(sequence: sequence, old: old, new: new, table: table.postings, in: writer)
        try ByteBits.replace(sequence: sequence, old: old, new: new, table: table.bytes, in: writer)
    }

    /// Removes a customer's postings (an erasure): `replace` with no text.
    static func remove(sequence: UInt64, fields: [(field: UInt8, text: [UInt8])], table: TrigramTables, in writer: StoreWriter) throws {
        try replace(sequence: sequence, old: fields, new: [], table: table, in: writer)
    }

    /// `replace` in the blocks alone.
    static func replace(
        sequence: UInt64, old: [(field: UInt8, text: [UInt8])], new: [(field: UInt8, text: [UInt8])], table: Table,
        in writer: StoreWriter
    ) throws {
        try replace(
            sequence: sequence, before: entries(sequence: sequence, fields: old),
            after: entries(sequence: sequence, fields: new), table: table, in: writer)
    }

    /// `replace` in the blocks, from the customer's entries (places) per trigram before and after.
    static func replace(
        sequence: UInt64, before: [UInt32: [UInt8]], after: [UInt32: [UInt8]], table: Table, in writer: StoreWriter
    ) throws {
        try writer.withCursor(table) { cursor in
            for (gram, places) in before where after[gram] != places {
                try remove(sequence, gram: gram, cursor: cursor, table: table, writer: writer)
            }
            for (gram, places) in after.sorted(by: { $0.key < $1.key }) where before[gram] != places {
                try insert(sequence, places: places, gram: gram, cursor: cursor, table: table, writer: writer)
            }
        }
    }

    /// One customer's entry (its places) per trigram.
    private static func entries(sequence: UInt64, fields: [(field: UInt8, text: [UInt8])]) -> [UInt32: [UInt8]] {
        var additions = Additions()
        additions.add(sequence: sequence, fields: fields)
        var result: [UInt32: [UInt8]] = [:]
        forEachGroup(of: additions) { gram, group in result[gram] = Array(group.entry(0)) }
        return result
    }

    private static func remove(_ sequence: UInt64, gram: UInt32, cursor: Cursor, table: Table, writer: StoreWriter) throws {
        let probe = PostingBlock.key(gram: gram, firstSequence: sequence)
        guard try cursor.seek(atOrBefore: probe), cursor.key.count == 11, sameGram(cursor.key, gram) else { return }
        let key = Array(cursor.key)
        var entries = try PostingBlock.entries(cursor.value, firstSequence: readBigEndianUInt64(cursor.key, at: 3))
        guard let index = entries.firstIndex(where: { $0.sequence == sequence }) else { return }
        entries.remove(at: index)
        _ = try writer.delete(table, key)
        if !entries.isEmpty { try writer.put(table, PostingBlock.key(gram: gram, firstSequence: entries[0].sequence), PostingBlock.encode(entries)) }
    }

    private static func insert(
        _ sequence: UInt64, places: [UInt8], gram: UInt32, cursor: Cursor, table: Table, writer: StoreWriter
    ) throws {
        let probe = PostingBlock.key(gram: gram, firstSequence: sequence)
        var found = try cursor.seek(atOrBefore: probe) && cursor.key.count == 11 && sameGram(cursor.key, gram)
        if !found {
            // Before the list's first block (or no list): join the first block, if any.
            found = try cursor.seek(atOrAfter: PostingBlock.key(gram: gram, firstSequence: 0))
                && cursor.key.count == 11 && sameGram(cursor.key, gram)
        }
        var entries: [PostingBlock.Entry] = []
        if found {
            let key = Array(cursor.key)
            entries = try PostingBlock.entries(cursor.value, firstSequence: readBigEndianUInt64(cursor.key, at: 3))
            guard !entries.contains(where: { $0.sequence == sequence }) else { return }  // already there (a replay)
            _ = try writer.delete(table, key)
        }
        let at = entries.firstIndex(where: { $0.sequence > sequence }) ?? entries.count
        entries.insert(PostingBlock.Entry(sequence: sequence, places: places), at: at)
        var start = 0
        while start < entries.count {
            let block = Array(entries[start..<min(start + PostingBlock.capacity, entries.count)])
            try writer.put(table, PostingBlock.key(gram: gram, firstSequence: block[0].sequence), PostingBlock.encode(block))
            start += PostingBlock.capacity
        }
    }
}

extension PostingBlock {
    /// A customer's entry: its sequence and its places as stored (varints `place << 1 | more`).
    struct Entry: Equatable {
        var sequence: UInt64
        var places: [UInt8]
    }

    /// The entries of a stored block.
    static func entries(_ value: UnsafeRawBufferPointer, firstSequence: UInt64) throws -> [Entry] {
        var starts: [(UInt64, Int)] = []
        try forEachSequence(value, firstSequence: firstSequence) { sequence, places in
            starts.append((sequence, places - value.baseAddress!.assumingMemoryBound(to: UInt8.self)))
        }
        // An entry's places end where the next entry's distance starts: find it by skipping the places.
        var result: [Entry] = []
        for (sequence, start) in starts {
            var end = start
            while true {
                let more = value[end] & 1
                while value[end] >= 0x80 { end += 1 }
                end += 1
                if more == 0 { break }
            }
            result.append(Entry(sequence: sequence, places: Array(value[start..<end])))
        }
        return result
    }

    /// A block of `entries` (1 to `capacity`, ascending), as `TrigramIndex.add` writes one.
    static func encode(_ entries: [Entry]) -> [UInt8] {
        var value = [UInt8](repeating: 0, count: headerCount)
        var previous = entries[0].sequence
        for (index, entry) in entries.enumerated() {
            if index > 0 { appendVarUInt(entry.sequence - previous, to: &value) }
            value.append(contentsOf: entry.places)
            previous = entry.sequence
        }
        setHeader(count: entries.count, last: previous, in: &value)
        return value
    }
}
