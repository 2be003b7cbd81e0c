import CompactCodec
import EventStore

extension PendingPostings {
    /// A small batch of new customers (at most `directLimit`): one record each, then one merge step.
    static func add(_ additions: TrigramIndex.Additions, _ tables: TrigramTables, in writer: StoreWriter) throws {
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
        try mergeStep(tables, in: writer)
    }

    /// One amortised step of the merge (starting one when `mergeThreshold` customers are pending).
    static func mergeStep(_ tables: TrigramTables, in writer: StoreWriter) throws {
        let pendingCount = try writer.count(tables.pending)
        var state = try Self.state(tables, in: writer)
        if state == nil {
            guard pendingCount >= mergeThreshold, let last = try lastSequence(tables, in: writer) else { return }
            state = State(boundary: last, nextGram: 0)
        }
        guard var current = state else { return }
        try merge(&current, budget: trigramsPerStep * max(1, pendingCount / mergeThreshold), tables, in: writer)
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
    private static func merge(_ state: inout State, budget: Int?, _ tables: TrigramTables, in writer: StoreWriter) throws {
        var records: [(sequence: UInt64, record: [UInt8])] = []
        try forEachRecord(tables, in: writer, through: state.boundary) { sequence, record in
            records.append((sequence, Array(record)))
        }
        let from = state.nextGram
        var end = gramLimit
        if let budget {
            // The `budget` smallest trigrams from `from` on over all records: each record offers its first
            // `budget` distinct ones, which contain every one of them that it holds.
            var candidates: [UInt32] = []
            for (_, record) in records {
                record.withUnsafeBytes { raw in
                    var index = lowerBound(raw, from)
                    var taken = 0
                    var previous: UInt32?
                    while index < raw.count / entrySize && taken < budget {
                        let gram = gram(raw, index)
                        if gram != previous {
                            candidates.append(gram)
                            previous = gram
                            taken += 1
                        }
                        index += 1
                    }
                }
            }
            candidates.sort()
            var distinct: [UInt32] = []
            for gram in candidates where distinct.last != gram { distinct.append(gram) }
            if distinct.count > budget { end = distinct[budget - 1] + 1 }
        }
        var additions = TrigramIndex.Additions()
        for (sequence, record) in records {
            record.withUnsafeBytes { raw in
                let low = lowerBound(raw, from)
                let high = end >= gramLimit ? raw.count / entrySize : lowerBound(raw, end)
                guard low < high else { return }
                let row = UInt64(additions.sequences.count)
                additions.sequences.append(sequence)
                for index in low..<high {
                    additions.occurrences.append(UInt64(gram(raw, index)) << 40 | row << 16 | UInt64(place(raw, index)))
                }
            }
        }
        try TrigramIndex.appendToBlocks(additions, table: tables.postings, in: writer)
        if end >= gramLimit {
            // Every posting of these customers is in the blocks now: their bytes join `ByteBits` as they leave.
            let bytes = records.map { record in (record.sequence, record.record.withUnsafeBytes { ByteBits.bytes(ofRecord: $0) }) }
            try ByteBits.update(bytes, set: true, table: tables.bytes, in: writer)
            for (sequence, _) in records { _ = try writer.delete(tables.pending, BigEndianUInt64(sequence)) }
            _ = try writer.delete(tables.pending, stateKey)
        } else {
            state.nextGram = end
            try writer.put(tables.pending, stateKey, state.bytes)
        }
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
