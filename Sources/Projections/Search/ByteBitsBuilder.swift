/// The bulk form of `ByteBits` (a rebuild's first phase): takes customers in sequence order and builds each
/// chunk's bitmaps in memory, then hands out the entries in key order (chunk, then byte; only bitmaps with a
/// bit set), byte for byte what the incremental path writes for the same customers once they are in the blocks.
///
/// Not thread-safe; used by one thread at a time, like `PostingBlockBuilder` beside it.
final class ByteBitsBuilder {
    private static let wordsPerBitmap = Int(ByteBits.bitsPerChunk / 64)
    /// The open chunk's bitmap of every byte value, `wordsPerBitmap` words each.
    private let bitmaps: UnsafeMutablePointer<UInt64>
    private var present = [Bool](repeating: false, count: 256)
    private var chunk: UInt64?
    private var entries = ByteColumn(entries: 0, bytes: 0, keepsHeads: false)

    init() {
        bitmaps = .allocate(capacity: 256 * Self.wordsPerBitmap)
        bitmaps.initialize(repeating: 0, count: 256 * Self.wordsPerBitmap)
    }

    deinit { bitmaps.deallocate() }

    /// Adds one folded search field of the customer at `sequence` (customers in ascending sequence order).
    @inline(__always)
    func add(sequence: UInt64, text: UnsafePointer<UInt8>, count: Int) {
        let number = sequence / ByteBits.bitsPerChunk
        if number != chunk {
            flush()
            chunk = number
        }
        let bit = Int(sequence % ByteBits.bitsPerChunk)
        let word = bit >> 6
        let mask: UInt64 = 1 << UInt64(bit & 63)
        for offset in 0..<min(count, SearchFields.maxOffset + 1) {
            let byte = Int(text[offset])
            bitmaps[byte * Self.wordsPerBitmap + word] |= mask
            present[byte] = true
        }
    }

    /// Every entry: key (chunk u64 BE ‖ byte, 9 bytes) ‖ value (`ByteBits.chunkBytes`), in key order.
    func finish() -> ByteColumn {
        flush()
        let result = entries
        entries = ByteColumn(entries: 0, bytes: 0, keepsHeads: false)
        return result
    }

    private func flush() {
        guard let chunk else { return }
        for byte in 0..<256 where present[byte] {
            let target = entries.reserveTail(9 + ByteBits.chunkBytes)
            UnsafeMutableRawPointer(target).storeBytes(of: chunk.bigEndian, as: UInt64.self)
            target[8] = UInt8(byte)
            let bitmap = bitmaps + byte * Self.wordsPerBitmap
            for word in 0..<Self.wordsPerBitmap {
                UnsafeMutableRawPointer(target + 9 + word * 8).storeBytes(of: bitmap[word].littleEndian, as: UInt64.self)
                bitmap[word] = 0
            }
            entries.commit(9 + ByteBits.chunkBytes)
            present[byte] = false
        }
        self.chunk = nil
    }
}
