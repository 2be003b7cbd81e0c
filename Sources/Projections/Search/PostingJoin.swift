/// The customers in every one of a few posting lists whose places line up with a query's cover
/// (`SearchCover`): the join behind a search of 4 or more bytes.
///
/// It works a block at a time. The driving list's block (the shortest list's: it bounds the candidates) is
/// decoded into small buffers in one tight loop: sequences, the first place of each posting, and where its
/// places start. Each other list then decodes only the blocks that can hold one of those candidates (a block
/// whose last sequence is below the next candidate is skipped by its header) and merges them with the
/// candidates, keeping those it holds. The places of the survivors are compared last. Nothing is copied per
/// posting beyond those buffers, and no call or closure is made per posting: a wide query (two lists of a
/// million postings each) spent most of its time in a cursor's per-posting calls, checks and closures before.
///
/// Every byte read is checked against its block's end while decoding (a damaged block throws
/// `PostingBlock.truncated`), so the places can be read again afterwards through the saved pointers without
/// checks. The lists point into LMDB's map: the join runs inside the read transaction they were loaded in.
struct PostingJoin {
    /// Postings per block at most: the header counts them in one byte.
    private static let blockLimit = 256
    /// A posting's first place and, in bit 16, whether more places follow it.
    private static let morePlaces: UInt32 = 1 << 16

    /// One list's decoded block.
    private struct Lane {
        let list: PostingList
        var block = -1
        var count = 0
        var index = 0
        let sequences: UnsafeMutablePointer<UInt64>
        let places: UnsafeMutablePointer<UInt32>
        let starts: UnsafeMutablePointer<UnsafePointer<UInt8>>

        init(_ list: PostingList) {
            self.list = list
            sequences = .allocate(capacity: PostingJoin.blockLimit)
            places = .allocate(capacity: PostingJoin.blockLimit)
            starts = .allocate(capacity: PostingJoin.blockLimit)
        }

        func deallocate() {
            sequences.deallocate()
            places.deallocate()
            starts.deallocate()
        }

        /// Decodes block `block` of the list into the buffers.
        @inline(__always)
        mutating func enter(_ block: Int) throws {
            self.block = block
            index = 0
            count = try PostingJoin.decode(list.blocks[block], first: list.firsts[block], sequences, places, starts)
        }

        /// Moves to the first posting at or after `target` (never backwards), entering later blocks as needed;
        /// false when the list has none.
        @inline(__always)
        mutating func seek(atLeast target: UInt64) throws -> Bool {
            // The block decoded holds it: its last sequence reaches the target.
            if index < count && sequences[count &- 1] >= target {
                while sequences[index] < target { index &+= 1 }
                return true
            }
            return try enterBlock(reaching: target)
        }

        /// Enters the first later block whose last sequence reaches the target (galloping over the headers, then
        /// binary search; the blocks skipped are not decoded) and moves to the target in it.
        @inline(never)
        mutating func enterBlock(reaching target: UInt64) throws -> Bool {
            let lasts = list.lasts
            var low = block + 1
            var high = low
            var step = 1
            while high < lasts.count && lasts[high] < target {
                low = high + 1
                high += step
                step <<= 1
            }
            high = min(high, lasts.count)
            while low < high {
                let middle = (low + high) / 2
                if lasts[middle] < target { low = middle + 1 } else { high = middle }
            }
            guard low < lasts.count else {
                block = lasts.count
                count = 0
                index = 0
                return false
            }
            try enter(low)
            // A damaged block may end below its header's last sequence.
            while index < count && sequences[index] < target { index &+= 1 }
            return index < count ? true : try enterBlock(reaching: target)
        }
    }

    /// Adds to `set` each customer that is in every list of `lists` and holds, for some place p of its posting
    /// in `lists[first]`, a posting in `lists[step.list]` with place p + `step.placeDelta` for every step.
    /// `driver` is the shortest list.
    static func join(
        _ lists: [PostingList], driver: Int, first: Int, steps: [(list: Int, placeDelta: UInt16)], into set: inout SequenceBitSet
    ) throws {
        guard !lists.isEmpty, lists.allSatisfy({ $0.count > 0 }) else { return }
        var lanes = lists.map(Lane.init)
        defer { lanes.forEach { $0.deallocate() } }
        let laneCount = lanes.count
        // Per candidate of the driver's block: its sequence, and per list its first place and where its places start.
        let candidates = UnsafeMutablePointer<UInt64>.allocate(capacity: blockLimit)
        let places = UnsafeMutablePointer<UInt32>.allocate(capacity: blockLimit * laneCount)
        let starts = UnsafeMutablePointer<UnsafePointer<UInt8>>.allocate(capacity: blockLimit * laneCount)
        let matches = UnsafeMutablePointer<UInt64>.allocate(capacity: blockLimit)
        defer {
            candidates.deallocate()
            places.deallocate()
            starts.deallocate()
            matches.deallocate()
        }
        let others = (0..<laneCount).filter { $0 != driver }
        let stepLists = steps.map(\.list)
        let stepDeltas = steps.map(\.placeDelta)
        try lanes.withUnsafeMutableBufferPointer { lanes in
            let driving = lists[driver]
            for block in driving.blocks.indices {
                // The driver's block is decoded straight into the candidates.
                var count = try decode(
                    driving.blocks[block], first: driving.firsts[block], candidates, places + driver * blockLimit, starts + driver * blockLimit)
                var exhausted = false
                for other in others {
                    var kept = 0
                    let otherPlaces = places + other * blockLimit
                    let otherStarts = starts + other * blockLimit
                    for index in 0..<count {
                        let sequence = candidates[index]
                        guard try lanes[other].seek(atLeast: sequence) else {
                            exhausted = true
                            break
                        }
                        let at = lanes[other].index
                        guard lanes[other].sequences[at] == sequence else { continue }
                        if kept != index {
                            // Compact the survivors: their sequence and what the lists walked so far found.
                            candidates[kept] = sequence
                            for lane in 0..<laneCount where lane == driver || lane < other {
                                places[lane * blockLimit + kept] = places[lane * blockLimit + index]
                                starts[lane * blockLimit + kept] = starts[lane * blockLimit + index]
                            }
                        }
                        otherPlaces[kept] = lanes[other].places[at]
                        otherStarts[kept] = lanes[other].starts[at]
                        kept += 1
                    }
                    count = kept
                    if count == 0 { break }
                }
                var matched = 0
                for index in 0..<count where linesUp(
                    index, first: first, stepLists: stepLists, stepDeltas: stepDeltas, places: places, starts: starts) {
                    matches[matched] = candidates[index]
                    matched += 1
                }
                set.insert(contentsOf: UnsafeBufferPointer(start: matches, count: matched))
                if exhausted { return }
            }
        }
    }

    /// Whether candidate `index`'s places line up: the common case (one place in each list) is one comparison
    /// per step; otherwise every place of the first list is tried against every place of the others.
    @inline(__always)
    private static func linesUp(
        _ index: Int, first: Int, stepLists: [Int], stepDeltas: [UInt16],
        places: UnsafeMutablePointer<UInt32>, starts: UnsafeMutablePointer<UnsafePointer<UInt8>>
    ) -> Bool {
        let firstPlace = places[first * blockLimit + index]
        var single = firstPlace & morePlaces == 0
        if single {
            for step in stepLists.indices {
                let place = places[stepLists[step] * blockLimit + index]
                if place & morePlaces != 0 {
                    single = false
                    break
                }
                if UInt16(truncatingIfNeeded: place) != UInt16(truncatingIfNeeded: firstPlace) &+ stepDeltas[step] { return false }
            }
            if single { return true }
        }
        var pointer = starts[first * blockLimit + index]
        while true {
            let (place, more) = PostingList.readPlace(&pointer)
            var everyStep = true
            for step in stepLists.indices where !PostingList.hasPlace(starts[stepLists[step] * blockLimit + index], place &+ stepDeltas[step]) {
                everyStep = false
                break
            }
            if everyStep { return true }
            if !more { return false }
        }
    }

    /// Decodes a stored block (`PostingBlock`): each posting's sequence, its first place (bit 16: more follow)
    /// and where its places start. Returns the posting count.
    @inline(__always)
    private static func decode(
        _ value: UnsafeRawBufferPointer, first: UInt64, _ sequences: UnsafeMutablePointer<UInt64>,
        _ places: UnsafeMutablePointer<UInt32>, _ starts: UnsafeMutablePointer<UnsafePointer<UInt8>>
    ) throws -> Int {
        guard value.count >= PostingBlock.headerCount, let raw = value.baseAddress else { throw PostingBlock.truncated }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let count = Int(base[0])
        let end = value.count
        var offset = PostingBlock.headerCount
        var sequence = first
        for entry in 0..<count {
            if entry > 0 { sequence &+= try PostingBlock.readDelta(base, &offset, end: end) }
            sequences[entry] = sequence
            starts[entry] = UnsafePointer(base + offset)
            let value = try PostingBlock.readDelta(base, &offset, end: end)
            let more = value & 1 == 1
            places[entry] = UInt32(UInt16(truncatingIfNeeded: value &>> 1)) | (more ? morePlaces : 0)
            if more { try PostingBlock.skipPlaces(base, &offset, end: end) }
        }
        return count
    }
}
