/// Walks one `PostingList` in sequence order, decoding a block's entries only when the walk reaches them; a
/// `seek` past a whole block skips it by its header's last sequence, so intersecting a short list with a long one
/// decodes about the short one.
///
/// Each entry is checked to be well formed (within its block) when the cursor reaches it, its places
/// included, so `places` can be read without bounds checks.
struct PostingCursor {
    private let list: PostingList
    private var block = -1
    private var base: UnsafePointer<UInt8>?
    private var end = 0
    private var offset = 0
    private var remaining = 0
    /// The current posting (valid after `next` or `seek` returned true).
    private(set) var sequence: UInt64 = 0
    private(set) var places: UnsafePointer<UInt8>?

    init(_ list: PostingList) { self.list = list }

    /// Moves to the next posting; false at the end of the list.
    mutating func next() throws -> Bool {
        if remaining == 0 {
            block += 1
            return try enterBlock()
        }
        try readEntry(first: false)
        return true
    }

    /// Moves to the first posting at or after `target` (never backwards); false when the list has none.
    mutating func seek(atLeast target: UInt64) throws -> Bool {
        if block >= 0 && block < list.blocks.count && places != nil && sequence >= target { return true }
        if block < 0 || block >= list.blocks.count || list.lasts[block] < target {
            // The first block from here whose last sequence reaches the target (galloping, then binary search).
            var low = max(block + 1, 0)
            var high = low
            var step = 1
            while high < list.lasts.count && list.lasts[high] < target {
                low = high + 1
                high += step
                step <<= 1
            }
            high = min(high, list.lasts.count)
            while low < high {
                let middle = (low + high) / 2
                if list.lasts[middle] < target { low = middle + 1 } else { high = middle }
            }
            block = low
            guard try enterBlock() else { return false }
        }
        while sequence < target {
            guard try next() else { return false }
        }
        return true
    }

    private mutating func enterBlock() throws -> Bool {
        guard block < list.blocks.count else {
            places = nil
            return false
        }
        let value = list.blocks[block]
        guard let pointer = value.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw PostingBlock.truncated }
        base = UnsafePointer(pointer)
        end = value.count
        offset = PostingBlock.headerCount
        remaining = Int(value[0])
        try readEntry(first: true)
        return true
    }

    private mutating func readEntry(first: Bool) throws {
        guard let base, remaining > 0 else { throw PostingBlock.truncated }
        remaining -= 1
        sequence = first ? list.firsts[block] : sequence &+ (try PostingBlock.readDelta(base, &offset, end: end))
        places = base + offset
        try PostingBlock.skipPlaces(base, &offset, end: end)
    }
}
