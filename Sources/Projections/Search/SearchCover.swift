/// Which of a query's trigrams a search must check: a set of offsets whose 3-byte spans together hold every
/// byte of the query. When a customer holds each chosen trigram at (field, o + offset), it holds every byte of
/// the query at (field, o + i), so it holds the query; the other trigrams would only confirm it again.
///
/// Of all covers, the one whose lists are shortest in total (`lengths[o]`: postings of the trigram at offset
/// o), since the lists' lengths are what a search decodes. Offset 0 and the last offset are in every cover (no
/// other span holds the first or the last byte); between two chosen offsets there are at most 2 others.
enum SearchCover {
    /// Ascending offsets, the first 0 and the last `lengths.count - 1`; empty when `lengths` is.
    static func offsets(lengths: [Int]) -> [Int] {
        guard !lengths.isEmpty else { return [] }
        // cost[o]: the least total length of a cover of the bytes up to o + 2 that chooses o; from[o] the chosen
        // offset before it (-1: none). An offset o covers o…o+2, so the one before it is o-3 or later.
        var cost = [Int](repeating: 0, count: lengths.count)
        var from = [Int](repeating: -1, count: lengths.count)
        for offset in lengths.indices {
            cost[offset] = lengths[offset]
            guard offset > 0 else { continue }
            var best = -1
            for previous in max(0, offset - 3)..<offset where best < 0 || cost[previous] < cost[best] { best = previous }
            cost[offset] += cost[best]
            from[offset] = best
        }
        var chosen: [Int] = []
        var offset = lengths.count - 1
        while offset >= 0 {
            chosen.append(offset)
            offset = from[offset]
        }
        return chosen.reversed()
    }
}
