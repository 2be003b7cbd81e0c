/// A growable set of creation sequences, for unions and membership tests over hundreds of thousands of matches
/// (a sorted array would need a sort or a binary search per test).
struct SequenceBitSet {
    fileprivate(set) var words: [UInt64] = []

    init(capacity: UInt64 = 0) {
        words = [UInt64](repeating: 0, count: Int(capacity / 64) + 1)
    }

    @inline(__always)
    mutating func insert(_ sequence: UInt64) {
        let word = Int(sequence >> 6)
        if word >= words.count {
            words.append(contentsOf: repeatElement(0, count: max(word + 1 - words.count, words.count)))
        }
        words[word] |= 1 << (sequence & 63)
    }

    /// Inserts a run of sequences with one uniqueness check of the storage, not one per sequence.
    mutating func insert(contentsOf sequences: UnsafeBufferPointer<UInt64>) {
        guard let largest = sequences.max() else { return }
        if Int(largest >> 6) >= words.count { insert(largest) }
        words.withUnsafeMutableBufferPointer { words in
            for sequence in sequences { words[Int(truncatingIfNeeded: sequence &>> 6)] |= 1 &<< (sequence & 63) }
        }
    }

    @inline(__always)
    func contains(_ sequence: UInt64) -> Bool {
        let word = Int(sequence >> 6)
        return word < words.count && words[word] & (1 << (sequence & 63)) != 0
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Keeps only the members for which `mask(word index)` has a bit set (word-wise AND).
    mutating func formIntersectionThrowing(wordMask mask: (Int) throws -> UInt64) rethrows {
        for index in words.indices where words[index] != 0 { words[index] &= try mask(index) }
    }

    /// Up to `limit` members after `after` (exclusive; from the start when nil), ascending, or before it,
    /// descending: a page without sorting the whole set.
    func members(after: UInt64?, descending: Bool, limit: Int) -> [UInt64] {
        var result: [UInt64] = []
        guard limit > 0, !words.isEmpty else { return result }
        if descending {
            var word: Int
            var bits: UInt64
            if let after {
                guard after > 0 else { return result }
                let last = after - 1
                word = min(Int(last >> 6), words.count - 1)
                bits = Int(last >> 6) >= words.count ? words[word] : words[word] & (UInt64.max >> (63 - (last & 63)))
            } else {
                word = words.count - 1
                bits = words[word]
            }
            while true {
                while bits != 0 {
                    let bit = 63 - UInt64(bits.leadingZeroBitCount)
                    result.append(UInt64(word) << 6 | bit)
                    if result.count >= limit { return result }
                    bits &= ~(1 << bit)
                }
                word -= 1
                if word < 0 { return result }
                bits = words[word]
            }
        } else {
            let first = after.map { $0 &+ 1 } ?? 0
            var word = Int(first >> 6)
            guard word < words.count else { return result }
            var bits = words[word] & (UInt64.max << (first & 63))
            while true {
                while bits != 0 {
                    let bit = UInt64(bits.trailingZeroBitCount)
                    result.append(UInt64(word) << 6 | bit)
                    if result.count >= limit { return result }
                    bits &= bits - 1
                }
                word += 1
                if word >= words.count { return result }
                bits = words[word]
            }
        }
    }

    /// Adds the members of a stored bitmap (the layout of `StatusBits` and `ByteBits`: bit i of byte j is
    /// `firstSequence + 8 j + i`, `firstSequence` a multiple of 64), 64 at a time.
    mutating func formUnion(chunk value: UnsafeRawBufferPointer, firstSequence: UInt64) throws {
        guard value.count % 8 == 0, firstSequence % 64 == 0 else {
            throw ProjectionError.corruptIndex(table: "bytes", reason: "bitmap of \(value.count) bytes")
        }
        let first = Int(firstSequence / 64)
        let count = value.count / 8
        if first + count > words.count { words.append(contentsOf: repeatElement(0, count: first + count - words.count)) }
        words.withUnsafeMutableBufferPointer { words in
            for index in 0..<count {
                words[first + index] |= UInt64(littleEndian: value.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
            }
        }
    }

    /// Calls `body` with each member, ascending.
    func forEach(_ body: (UInt64) throws -> Void) rethrows {
        for (index, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                try body(UInt64(index) << 6 | UInt64(bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
    }
}

extension SequenceBitSet {
    /// Adds every sequence of a stored posting block (`PostingBlock`) in one tight loop over its bytes (the
    /// inlined `forEachSequence`): a short query unions hundreds of thousands of blocks, where an escaping
    /// closure and a bounds-checked insert per posting cost several times the decoding. Grows the set to hold
    /// the block's last sequence first.
    mutating func insertAll(ofBlock value: UnsafeRawBufferPointer, firstSequence: UInt64) throws {
        let (count, last) = try PostingBlock.header(value)
        guard count > 0 else { return }
        guard last >= firstSequence else {
            throw ProjectionError.corruptIndex(table: "grams", reason: "posting block ends before it starts")
        }
        if Int(last >> 6) >= words.count { insert(last) }
        // A damaged block cannot make this read or write out of bounds: every byte read is checked against the
        // block's end (`forEachSequence`), and every sequence against the header's last one (the set was sized
        // for it).
        try words.withUnsafeMutableBufferPointer { words in
            try PostingBlock.forEachSequence(value, firstSequence: firstSequence) { sequence, _ in
                guard sequence <= last else {
                    throw ProjectionError.corruptIndex(table: "grams", reason: "damaged posting block")
                }
                words[Int(truncatingIfNeeded: sequence &>> 6)] |= 1 &<< (sequence & 63)
            }
        }
    }
}
