@testable import Projections
import XCTest

/// A search walks posting lists block by block (`PostingCursor`): every posting in order, seeks that land on the
/// first posting at or after a target (skipping whole blocks), never backwards, and a damaged block refused.
final class PostingCursorTests: XCTestCase {
    /// Postings with 1–3 places each, in blocks of `PostingBlock.capacity` as the index writes them.
    private struct EncodedList {
        var sequences: [UInt64] = []
        var places: [[UInt16]] = []
        var blocks: [(first: UInt64, bytes: [UInt8])] = []

        init(count: Int, seed: UInt64) {
            var random = seed
            func next() -> UInt64 {
                random = random &* 6364136223846793005 &+ 1442695040888963407
                return random >> 33
            }
            var sequence: UInt64 = 1 + next() % 50
            for index in 0..<count {
                sequences.append(sequence)
                places.append((0..<(1 + Int(next() % 3))).map { UInt16($0 * 40 + Int(next() % 30)) })
                sequence += 1 + next() % (index % 200 < 100 ? 3 : 5_000)  // dense runs and wide gaps
            }
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

    private func placesAt(_ pointer: UnsafePointer<UInt8>?) -> [UInt16] {
        guard var pointer else { return [] }
        var result: [UInt16] = []
        while true {
            let (place, more) = PostingList.readPlace(&pointer)
            result.append(place)
            if !more { return result }
        }
    }

    func testNextWalksEveryPostingWithItsPlacesInOrder() throws {
        let encoded = EncodedList(count: 1_000, seed: 7)
        try encoded.withList { list in
            XCTAssertEqual(list.count, 1_000)
            var cursor = PostingCursor(list)
            var index = 0
            while try cursor.next() {
                XCTAssertEqual(cursor.sequence, encoded.sequences[index], "posting \(index)")
                XCTAssertEqual(placesAt(cursor.places), encoded.places[index], "places of posting \(index)")
                index += 1
            }
            XCTAssertEqual(index, 1_000)
            XCTAssertFalse(try cursor.next(), "the end stays the end")
        }
    }

    func testSeekLandsOnTheFirstPostingAtOrAfterTheTargetAndNeverGoesBack() throws {
        let encoded = EncodedList(count: 2_000, seed: 11)
        let sequences = encoded.sequences
        var random: UInt64 = 3
        var targets: [UInt64] = []
        var target: UInt64 = 0
        while target <= sequences.last! + 10 {
            targets.append(target)
            random = random &* 6364136223846793005 &+ 1442695040888963407
            target += random >> 33 % 4 == 0 ? 1 : (random >> 40) % 20_000  // same-block steps and block-skipping jumps
        }
        try encoded.withList { list in
            var cursor = PostingCursor(list)
            for target in targets {
                let expected = sequences.firstIndex { $0 >= target }
                let found = try cursor.seek(atLeast: target)
                XCTAssertEqual(found, expected != nil, "seek to \(target)")
                guard let expected, found else { return }
                XCTAssertEqual(cursor.sequence, sequences[expected], "seek to \(target)")
                XCTAssertEqual(placesAt(cursor.places), encoded.places[expected])
                XCTAssertTrue(try cursor.seek(atLeast: target / 2), "a seek backwards stays where it is")
                XCTAssertEqual(cursor.sequence, sequences[expected])
            }
        }
    }

    func testATruncatedBlockIsACorruptIndex() throws {
        var encoded = EncodedList(count: 100, seed: 5)
        encoded.blocks[1].bytes.removeLast(3)
        try encoded.withList { list in
            var cursor = PostingCursor(list)
            XCTAssertThrowsError(try { while try cursor.next() {} }()) { error in
                guard case ProjectionError.corruptIndex(table: "grams", _) = error else { return XCTFail("\(error)") }
            }
        }
    }
}
