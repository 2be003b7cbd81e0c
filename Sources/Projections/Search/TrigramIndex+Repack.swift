import CompactCodec
import EventStore

extension TrigramIndex {
    /// Rewrites every posting list that is not packed the way appends pack it (blocks of `PostingBlock.capacity`,
    /// only the last one shorter) into that form, so the blocks depend only on which postings there are.
    ///
    /// Erasure needs it: the live list removes a customer's name postings from blocks they were packed into,
    /// while a rebuild never sees those postings (the events read blank), so the two would leave differently
    /// packed blocks. After a repack at the erasure, both hold the same bytes. O(table): erasure is rare.
    static func repack(table: Table, in writer: StoreWriter) throws {
        var rewrites: [(keys: [[UInt8]], gram: UInt32, entries: [PostingBlock.Entry])] = []
        var gram: UInt32?
        var keys: [[UInt8]] = []
        var entries: [PostingBlock.Entry] = []
        var blockCounts: [Int] = []
        func finish() {
            guard let current = gram else { return }
            let packed = blockCounts.dropLast().allSatisfy { $0 == PostingBlock.capacity }
            if !packed { rewrites.append((keys, current, entries)) }
            keys = []
            entries = []
            blockCounts = []
        }
        try writer.withCursor(table) { cursor in
            var positioned = try cursor.first()
            while positioned {
                let key = cursor.key
                guard key.count == 11 else {
                    positioned = try cursor.next()
                    continue
                }
                let keyGram = UInt32(key[0]) << 16 | UInt32(key[1]) << 8 | UInt32(key[2])
                if keyGram != gram {
                    finish()
                    gram = keyGram
                }
                let block = try PostingBlock.entries(cursor.value, firstSequence: readBigEndianUInt64(key, at: 3))
                keys.append(Array(key))
                entries += block
                blockCounts.append(block.count)
                positioned = try cursor.next()
            }
        }
        finish()
        for rewrite in rewrites {
            for key in rewrite.keys { _ = try writer.delete(table, key) }
            var start = 0
            while start < rewrite.entries.count {
                let block = Array(rewrite.entries[start..<min(start + PostingBlock.capacity, rewrite.entries.count)])
                try writer.put(table, PostingBlock.key(gram: rewrite.gram, firstSequence: block[0].sequence), PostingBlock.encode(block))
                start += PostingBlock.capacity
            }
        }
    }
}
