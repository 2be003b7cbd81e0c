import CompactCodec
import EventStore

extension PendingPostings {
    /// A small batch of new customers (at most `directLimit`): one record each, then one merge step (a merge
    /// starting once `mergeThreshold` customers are pending).
    static func add(
        _ additions: TrigramIndex.Additions, _ tables: TrigramTables, mergeThreshold: Int, in writer: StoreWriter
    ) throws {
        // Occurrences come customer by customer (`Additions.add`), so each customer's are one run. (No
        // `.append`: the state record sorts last.)
        var start = 0
        let occurrences = additions.occurrences
        for (row, sequence) in additions.sequences.enumerated() {
            var end = start
            while end < occurrences.count && Int(truncatingIfNeeded: (occurrences[end] >> 16) & 0xFF_FFFF) == row { end += 1 }
            let own = occurrences[start..<end].map { $0 & ~(UInt64(0xFF_FFFF) << 16) }
            start = end
            guard !own.isEmpty else { continue }
            try writer.put(tables.pending, BigEndianUInt64(sequence), record(occurrences: own))
        }
        try mergeStep(tables, newCustomers: additions.sequences.count, mergeThreshold: mergeThreshold, in: writer)
    }

    /// One amortised step of the merge (starting one when `mergeThreshold` customers are pending).
    ///
    /// The step takes `trigramsPerStep` trigrams per threshold's worth of pending customers, times the customers
    /// this commit adds: a commit of 64 creates (a server's group commit) merges 64 single creates' worth. A step
    /// reads every record up to the boundary whatever its budget, so were the budget that of a single create, the
    /// records would pile up faster than the steps take them (thousands pending, each commit reading them all, and
    /// every search checking them one by one).
    static func mergeStep(_ tables: TrigramTables, newCustomers: Int, mergeThreshold: Int, in writer: StoreWriter) throws {
        let pendingCount = try writer.count(tables.pending)
        var state = try Self.state(tables, in: writer)
        if state == nil {
            guard pendingCount >= mergeThreshold, let last = try lastSequence(tables, in: writer) else { return }
            state = State(boundary: last, nextGram: 0)
        }
        guard var current = state else { return }
        let budget = trigramsPerStep * max(1, pendingCount / mergeThreshold) * max(1, newCustomers)
        try merge(&current, budget: budget, tables, in: writer)
    }

    /// Merges everything pending into the blocks (before a batch that appends to them directly).
    static func mergeAll(_ tables: TrigramTables, in writer: StoreWriter) throws {
        if var state = try Self.state(tables, in: writer) {
            try merge(&state, budget: nil, tables, in: writer)
        }
        if let last = try lastSequence(tables, in: writer) {
            var state = State(boundary: last, nextGram: 0)
            try merge(&state, budget: nil, tables, in: writer)
        }
    }

    private static func lastSequence(_ tables: TrigramTables, in reader: StoreReader) throws -> UInt64? {
        try reader.withCursor(tables.pending) { cursor in
            guard try cursor.seek(atOrBefore: [UInt8](repeating: 0xFE, count: 8)), cursor.key.count == 8 else { return nil }
            return readBigEndianUInt64(cursor.key)
        }
    }

    /// Appends the postings of the customers up to `state.boundary` for the next `budget` trigrams from
    /// `state.nextGram` (all of them when nil) to their blocks; records the progress, or removes the merged
    /// records when the last trigram is done.
    ///
    /// The records are read where they lie, twice (which trigrams this step takes, then their postings), and
    /// nothing is written before both reads are done: a step runs in every commit of the inline path, over
    /// every record up to the boundary, so copying them or sorting their trigrams would be its largest cost.
    private static func merge(_ state: inout State, budget: Int?, _ tables: TrigramTables, in writer: StoreWriter) throws {
        let from = state.nextGram
        let end = try budget.map { try stepEnd(from: from, budget: $0, through: state.boundary, tables, in: writer) } ?? gramLimit
        let finishing = end >= gramLimit
        var additions = TrigramIndex.Additions()
        var finished: [(sequence: UInt64, bytes: [UInt8])] = []
        try forEachRecord(tables, in: writer, through: state.boundary) { sequence, raw in
            // Every posting of these customers is in the blocks after this step: their bytes join `ByteBits`
            // as they leave.
            if finishing { finished.append((sequence, ByteBits.bytes(ofRecord: raw))) }
            let low = lowerBound(raw, from)
            let high = finishing ? raw.count / entrySize : lowerBound(raw, end)
            guard low < high else { return }
            let row = UInt64(additions.sequences.count)
            additions.sequences.append(sequence)
            for index in low..<high {
                additions.occurrences.append(UInt64(gram(raw, index)) << 40 | row << 16 | UInt64(place(raw, index)))
            }
        }
        try TrigramIndex.appendToBlocks(additions, table: tables.postings, in: writer)
        if finishing {
            try ByteBits.update(finished, set: true, table: tables.bytes, in: writer)
            for (sequence, _) in finished { _ = try writer.delete(tables.pending, BigEndianUInt64(sequence)) }
            _ = try writer.delete(tables.pending, stateKey)
        } else {
            state.nextGram = end
            try writer.put(tables.pending, stateKey, state.bytes)
        }
    }

    /// Where a step that takes `budget` trigrams from `from` on ends (exclusive): after the `budget` smallest
    /// distinct trigrams at or after `from` of the records through `boundary`, or `gramLimit` when no more than
    /// `budget` remain (the step finishes the merge).
    ///
    /// The `budget + 1` smallest are kept in a small sorted array; a record's trigrams ascend, so each record is
    /// left at its first trigram above the largest kept once the array is full (records of similar names share
    /// most trigrams: after the first few, a record costs a binary search and a comparison or two).
    static func stepEnd(from: UInt32, budget: Int, through boundary: UInt64, _ tables: TrigramTables, in reader: StoreReader) throws -> UInt32 {
        precondition(budget > 0, "a step takes at least one trigram")
        var smallest: [UInt32] = []
        smallest.reserveCapacity(budget + 2)
        try forEachRecord(tables, in: reader, through: boundary) { _, raw in
            let count = raw.count / entrySize
            var index = lowerBound(raw, from)
            while index < count {
                let gram = gram(raw, index)
                index += 1
                if smallest.count > budget, let largest = smallest.last, gram >= largest { return }
                var position = smallest.count
                while position > 0 && smallest[position - 1] > gram { position -= 1 }
                guard position == 0 || smallest[position - 1] != gram else { continue }
                smallest.insert(gram, at: position)
                if smallest.count > budget + 1 { smallest.removeLast() }
            }
        }
        return smallest.count > budget ? smallest[budget - 1] + 1 : gramLimit
    }

    /// Re-indexes a customer whose record is pending (an edit or an erasure: `record` empty); false when it
    /// has none. The trigrams already merged for it are replaced in the blocks as well.
    static func replace(sequence: UInt64, record new: [UInt8], _ tables: TrigramTables, in writer: StoreWriter) throws -> Bool {
        let key = BigEndianUInt64(sequence)
        guard let old = try writer.value(tables.pending, key) else { return false }
        if let state = try Self.state(tables, in: writer), sequence <= state.boundary, state.nextGram > 0 {
            let merged = { (gram: UInt32) in gram < state.nextGram }
            try TrigramIndex.replace(
                sequence: sequence, before: entries(old, including: merged), after: entries(new, including: merged),
                table: tables.postings, in: writer)
        }
        if new.isEmpty {
            _ = try writer.delete(tables.pending, key)
        } else {
            try writer.put(tables.pending, key, new)
        }
        return true
    }
}
