/// A growable set of creation sequences, for unions and membership tests over hundreds of thousands of matches
/// (a sorted array would need a sort or a binary search per test).
struct SequenceBitSet {
    private(set) var words: [UInt64] = []

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

    /// The members, ascending.
    var sorted: [UInt64] {
        var result: [UInt64] = []
        for (index, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let bit = UInt64(bits.trailingZeroBitCount)
                result.append(UInt64(index) << 6 | bit)
                bits &= bits - 1
            }
        }
        return result
    }
}
