import CompactCodec
import EventStore

/// One table set's trigram postings in (trigram, sequence) order, from the blocks and the pending records
/// together: the content of the search index, whatever blocks the merges happened to cut. Two indexes with the
/// same postings answer every search the same; this is the form in which `rebuild --verify` and the tests
/// compare a rebuilt index with the live one (`PendingPostings` says why the bytes may differ).
///
/// `places` points into the map or into the walker's own buffer: valid until the next `next()`, within the
/// read transaction the cursor belongs to.
final class PostingWalker {
    struct Posting {
        let gram: UInt32
        let sequence: UInt64
        let places: UnsafeRawBufferPointer

        /// trigram (3 bytes) ‖ sequence (u64 BE), for reports.
        var key: [UInt8] { PostingBlock.key(gram: gram, firstSequence: sequence) }
    }

    private let cursor: Cursor
    private var started = false
    // The block being read.
    private var blockGram: UInt32 = 0
    private var blockSequence: UInt64 = 0
    private var block = UnsafeRawBufferPointer(start: nil, count: 0)
    private var offset = 0
    private var left = 0
    private var main: Posting?
    // Pending postings not yet in the blocks, sorted; their places live in `pendingBytes`.
    private var pending: [(gram: UInt32, sequence: UInt64, start: Int, count: Int)] = []
    private let pendingBytes: UnsafeMutableRawBufferPointer
    private var pendingIndex = 0

    /// `cursor` is on `tables.postings`.
    init(_ tables: TrigramTables, cursor: Cursor, in reader: StoreReader) throws {
        self.cursor = cursor
        let state = try PendingPostings.state(tables, in: reader)
        var bytes: [UInt8] = []
        var pending: [(gram: UInt32, sequence: UInt64, start: Int, count: Int)] = []
        try PendingPostings.forEachRecord(tables, in: reader) { sequence, record in
            let entries = PendingPostings.entries(Array(record)) { gram in !(state?.merged(sequence: sequence, gram: gram) ?? false) }
            for (gram, places) in entries {
                pending.append((gram, sequence, bytes.count, places.count))
                bytes += places
            }
        }
        pending.sort { ($0.gram, $0.sequence) < ($1.gram, $1.sequence) }
        self.pending = pending
        pendingBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        bytes.withUnsafeBytes { pendingBytes.copyMemory(from: $0) }
        main = try nextInBlocks()
    }

    deinit { pendingBytes.deallocate() }

    func next() throws -> Posting? {
        if pendingIndex < pending.count {
            let candidate = pending[pendingIndex]
            if main.map({ ($0.gram, $0.sequence) > (candidate.gram, candidate.sequence) }) ?? true {
                pendingIndex += 1
                return Posting(
                    gram: candidate.gram, sequence: candidate.sequence,
                    places: UnsafeRawBufferPointer(rebasing: pendingBytes[candidate.start..<candidate.start + candidate.count]))
            }
        }
        let posting = main
        if posting != nil { main = try nextInBlocks() }
        return posting
    }

    private func nextInBlocks() throws -> Posting? {
        while left == 0 {
            let positioned = started ? try cursor.next() : try cursor.first()
            started = true
            guard positioned, cursor.key.count == 11 else { return nil }
            let key = cursor.key
            blockGram = UInt32(key[0]) << 16 | UInt32(key[1]) << 8 | UInt32(key[2])
            blockSequence = readBigEndianUInt64(UnsafeRawBufferPointer(rebasing: key[3...]))
            block = cursor.value
            left = try PostingBlock.header(block).count
            offset = PostingBlock.headerCount
            if left > 0 { return try entry(first: true) }
        }
        return try entry(first: false)
    }

    private func entry(first: Bool) throws -> Posting {
        guard let base = block.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw PostingBlock.truncated }
        if !first { blockSequence &+= try PostingBlock.readDelta(base, &offset, end: block.count) }
        let start = offset
        try PostingBlock.skipPlaces(base, &offset, end: block.count)
        left -= 1
        return Posting(gram: blockGram, sequence: blockSequence, places: UnsafeRawBufferPointer(rebasing: block[start..<offset]))
    }
}

extension TrigramIndex {
    /// Compares two indexes by their postings (`PostingWalker`): `report` gets trigram ‖ sequence and the
    /// places on each side.
    static func comparePostings(
        live: TrigramTables, rebuilt: TrigramTables, in reader: StoreReader,
        _ report: (_ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws {
        try reader.withCursor(live.postings) { liveCursor in
            try reader.withCursor(rebuilt.postings) { rebuiltCursor in
                let left = try PostingWalker(live, cursor: liveCursor, in: reader)
                let right = try PostingWalker(rebuilt, cursor: rebuiltCursor, in: reader)
                var l = try left.next()
                var r = try right.next()
                while l != nil || r != nil {
                    if let a = l, let b = r, a.gram == b.gram, a.sequence == b.sequence {
                        if !a.places.elementsEqual(b.places) { report(a.key, .different, Array(a.places), Array(b.places)) }
                        l = try left.next()
                        r = try right.next()
                    } else if let a = l, r.map({ (a.gram, a.sequence) < ($0.gram, $0.sequence) }) ?? true {
                        report(a.key, .extra, Array(a.places), nil)
                        l = try left.next()
                    } else if let b = r {
                        report(b.key, .missing, nil, Array(b.places))
                        r = try right.next()
                    }
                }
            }
        }
    }

    /// Every posting as trigram ‖ sequence → places, in order (tests compare indexes with it).
    static func postings(_ tables: TrigramTables, in reader: StoreReader) throws -> [([UInt8], [UInt8])] {
        try reader.withCursor(tables.postings) { cursor in
            let walker = try PostingWalker(tables, cursor: cursor, in: reader)
            var result: [([UInt8], [UInt8])] = []
            while let posting = try walker.next() { result.append((posting.key, Array(posting.places))) }
            return result
        }
    }
}
