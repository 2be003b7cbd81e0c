@testable import Projections
import XCTest

/// The join behind a search of 4 or more bytes (`PostingJoin`): over lists of many blocks, with dense runs,
/// wide gaps and postings of several places, it finds exactly the customers a brute-force check of the same
/// postings finds, whichever list drives; a damaged block is refused. And the cover a search walks
/// (`SearchCover`) holds every byte of the query at the least total length.
final class PostingJoinTests: XCTestCase {
    /// Postings in blocks of `PostingBlock.capacity` as the index writes them.
    private struct EncodedList {
        var sequences: [UInt64] = []
        var places: [[UInt16]] = []
        var blocks: [(first: UInt64, bytes: [UInt8])] = []

        init(_ postings: [(sequence: UInt64, places: [UInt16])]) {
            sequences = postings.map(\.sequence)
            places = postings.map(\.places)
            let count = postings.count
            var start = 0
            while start < count {
                let end = min(start + PostingBlock.capacity, count)
                var bytes = [UInt8](repeating: 0, count: PostingBlock.headerCount)
                PostingBlock.setHeader(count: end - start, last: sequences[end - 1], in: &bytes)
                for index in start..<end {
                    if index > start { PostingBlock.appendVarUInt(sequences[index] - sequences[index - 1], to: &bytes) }
                    for (at, place) in places[index].enumerated() {
                        PostingBlock.appendVarUInt(UInt64(place) << 1 | (at + 1 < places[index].count ? 1 : 0), to: &bytes)
                    }
                }
                blocks.append((sequences[start], bytes))
                start = end
            }
        }

        /// The list over the blocks' bytes, valid inside `body`.
        func withList<T>(_ body: (PostingList) throws -> T) rethrows -> T {
            let pointers = blocks.map { block -> UnsafeMutableRawBufferPointer in
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block.bytes.count, alignment: 1)
                buffer.copyBytes(from: block.bytes)
                return buffer
            }
            defer { pointers.forEach { $0.deallocate() } }
            var list = PostingList()
            for (index, block) in blocks.enumerated() {
                list.firsts.append(block.first)
                list.lasts.append(sequences[min(sequences.count - 1, (index + 1) * PostingBlock.capacity - 1)])
                list.blocks.append(UnsafeRawBufferPointer(pointers[index]))
                list.count += Int(block.bytes[0])
            }
            return try body(list)
        }
    }

    private struct Random {
        var state: UInt64
        mutating func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % bound
        }
    }

    /// Lists drawn from one universe of customers, so that they meet: each customer is in each list with
    /// probability `share`, runs of neighbours and wide gaps, 1–3 places, often lined up with the first list's.
    private func lists(count: Int, customers: Int, seed: UInt64) -> [EncodedList] {
        var random = Random(state: seed)
        var universe: [UInt64] = []
        var sequence: UInt64 = 1
        for index in 0..<customers {
            universe.append(sequence)
            sequence += 1 + random.next(index % 300 < 150 ? 2 : 4_000)
        }
        var base: [UInt64: UInt16] = [:]
        for customer in universe { base[customer] = UInt16(random.next(40) << 3 | random.next(4)) }
        return (0..<count).map { list in
            var postings: [(sequence: UInt64, places: [UInt16])] = []
            let share: UInt64 = list == 0 ? 9 : [3, 8, 10][list % 3]
            for customer in universe where random.next(10) < share {
                var places: [UInt16] = []
                for _ in 0..<(1 + Int(random.next(3) == 0 ? random.next(3) : 0)) {
                    // Lined up with the first list's place at this list's distance, or elsewhere.
                    let lined = random.next(4) != 0
                    places.append(lined ? base[customer]! &+ UInt16(list * 2 << SearchFields.fieldBits) : UInt16(random.next(400) << 3 | random.next(4)))
                }
                postings.append((customer, Array(Set(places)).sorted()))
            }
            return EncodedList(postings)
        }
    }

    /// The oracle: customers in every list with a place p in `first` such that every step holds p + delta.
    private func bruteForce(_ encoded: [EncodedList], first: Int, steps: [(list: Int, placeDelta: UInt16)]) -> [UInt64] {
        let maps = encoded.map { list in Dictionary(uniqueKeysWithValues: zip(list.sequences, list.places)) }
        return encoded[first].sequences.filter { sequence in
            guard maps.allSatisfy({ $0[sequence] != nil }) else { return false }
            return maps[first][sequence]!.contains { place in
                steps.allSatisfy { maps[$0.list][sequence]!.contains(place &+ $0.placeDelta) }
            }
        }
    }

    private func withLists<T>(_ encoded: [EncodedList], _ body: ([PostingList]) throws -> T) throws -> T {
        func nest(_ index: Int, _ built: [PostingList]) throws -> T {
            guard index < encoded.count else { return try body(built) }
            return try encoded[index].withList { try nest(index + 1, built + [$0]) }
        }
        return try nest(0, [])
    }

    func testTheJoinFindsExactlyWhatABruteForceCheckOfThePostingsFinds() throws {
        for seed in [3, 17, 29] as [UInt64] {
            let encoded = lists(count: 3, customers: 6_000, seed: seed)
            XCTAssertGreaterThan(encoded.map(\.blocks.count).min() ?? 0, 20, "lists of many blocks")
            let steps: [[(list: Int, placeDelta: UInt16)]] = [
                [(1, UInt16(2 << SearchFields.fieldBits))],
                [(1, UInt16(2 << SearchFields.fieldBits)), (2, UInt16(4 << SearchFields.fieldBits))],
                [],
            ]
            for step in steps {
                let expected = bruteForce(encoded, first: 0, steps: step)
                XCTAssertGreaterThan(expected.count, 50, "seed \(seed): some customers line up")
                for driver in 0..<3 {
                    let found = try withLists(encoded) { lists -> [UInt64] in
                        var set = SequenceBitSet(capacity: 10)
                        try PostingJoin.join(lists, driver: driver, first: 0, steps: step, into: &set)
                        var members: [UInt64] = []
                        set.forEach { members.append($0) }
                        return members
                    }
                    XCTAssertEqual(found, expected, "seed \(seed), driver \(driver), \(step.count) steps")
                }
            }
        }
    }

    func testATruncatedBlockIsACorruptIndex() throws {
        var encoded = lists(count: 2, customers: 2_000, seed: 5)
        encoded[1].blocks[1].bytes.removeLast(3)
        try withLists(encoded) { lists in
            var set = SequenceBitSet()
            XCTAssertThrowsError(try PostingJoin.join(lists, driver: 1, first: 0, steps: [(1, 16)], into: &set)) { error in
                guard case ProjectionError.corruptIndex(table: "grams", _) = error else { return XCTFail("\(error)") }
            }
        }
    }

    /// A 3-byte search decodes blocks straight into the match set (`insertAll(ofBlock:)`): every sequence of a
    /// sound block, and a corrupt index for a truncated block or one whose sequences pass its header's last.
    func testABlockIsDecodedIntoTheSetAndADamagedOneIsACorruptIndex() throws {
        let encoded = lists(count: 1, customers: 2_000, seed: 9)[0]
        let block = encoded.blocks[1]
        let inBlock = Array(encoded.sequences.drop { $0 < block.first }.prefix(PostingBlock.capacity))
        func insert(_ bytes: [UInt8], into set: inout SequenceBitSet) throws {
            try bytes.withUnsafeBytes { try set.insertAll(ofBlock: $0, firstSequence: block.first) }
        }
        var set = SequenceBitSet()
        try insert(block.bytes, into: &set)
        var members: [UInt64] = []
        set.forEach { members.append($0) }
        XCTAssertEqual(members, inBlock)

        var truncated = block.bytes
        truncated.removeLast(2)
        var understated = block.bytes
        PostingBlock.setHeader(count: inBlock.count, last: inBlock[inBlock.count - 2], in: &understated)
        for (label, bytes) in [("truncated", truncated), ("last understated", understated)] {
            var damaged = SequenceBitSet()
            XCTAssertThrowsError(try insert(bytes, into: &damaged), label) { error in
                guard case ProjectionError.corruptIndex(table: "grams", _) = error else { return XCTFail("\(label): \(error)") }
            }
        }
    }

    func testTheCoverHoldsEveryByteAtTheLeastTotalLength() {
        XCTAssertEqual(SearchCover.offsets(lengths: []), [])
        XCTAssertEqual(SearchCover.offsets(lengths: [5]), [0])
        XCTAssertEqual(SearchCover.offsets(lengths: [5, 5]), [0, 1], "4 bytes need both trigrams")
        XCTAssertEqual(SearchCover.offsets(lengths: [9, 9, 9, 9]), [0, 3], "6 bytes: 2 of the 4 lists")
        XCTAssertEqual(SearchCover.offsets(lengths: [100, 1, 100, 100, 100]), [0, 1, 4], "a short list in the middle is worth a third")
        var random = Random(state: 11)
        for _ in 0..<300 {
            let lengths = (0..<(1 + Int(random.next(8)))).map { _ in Int(1 + random.next(50)) }
            let cover = SearchCover.offsets(lengths: lengths)
            let bytes = lengths.count + 2
            let covered = Set(cover.flatMap { $0..<$0 + 3 })
            XCTAssertEqual(covered, Set(0..<bytes), "\(lengths) → \(cover) holds every byte")
            // The least total length of any cover, by trying every subset.
            var best = Int.max
            for mask in 1..<(1 << lengths.count) {
                let chosen = lengths.indices.filter { mask & (1 << $0) != 0 }
                guard Set(chosen.flatMap { $0..<$0 + 3 }) == Set(0..<bytes) else { continue }
                best = min(best, chosen.reduce(0) { $0 + lengths[$1] })
            }
            XCTAssertEqual(cover.reduce(0) { $0 + lengths[$1] }, best, "\(lengths) → \(cover)")
        }
    }
}
