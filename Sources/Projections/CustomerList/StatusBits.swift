import CompactCodec
import CustomerAggregate
import EventStore

/// One bit per creation sequence: set when that customer is Verified (`customer-list.status`:
/// sequence / 8192 (u64 BE) → 1024 bytes).
///
/// Search needs the status of every match to apply `--status` and to count `total`; reading a row per match
/// would cost a B-tree lookup each, while this map filters a whole match set 64 customers at a time, with one
/// 1 KB value per 8192 log positions (2.8 M positions: ~340 values). Unverified is the absence of a bit, so a
/// new customer costs no write here.
enum StatusBits {
    static let bitsPerChunk: UInt64 = 8192
    static let chunkBytes = 1024

    /// Sets (or clears) the bits of `sequences` (ascending), one read and one write per 1 KB chunk.
    static func set(_ sequences: [UInt64], verified: Bool, tables: CustomerListTables, in writer: StoreWriter) throws {
        var index = 0
        while index < sequences.count {
            let chunkNumber = sequences[index] / bitsPerChunk
            let key = BigEndianUInt64(chunkNumber)
            var chunk = try writer.value(tables.statusBits, key) ?? [UInt8](repeating: 0, count: chunkBytes)
            if chunk.count != chunkBytes { chunk = [UInt8](repeating: 0, count: chunkBytes) }
            while index < sequences.count && sequences[index] / bitsPerChunk == chunkNumber {
                let bit = Int(sequences[index] % bitsPerChunk)
                if verified {
                    chunk[bit >> 3] |= 1 << UInt8(bit & 7)
                } else {
                    chunk[bit >> 3] &= ~(1 << UInt8(bit & 7))
                }
                index += 1
            }
            try writer.put(tables.statusBits, key, chunk)
        }
    }

    /// How many customers are Verified: the bits set in every chunk.
    static func verifiedCount(tables: CustomerListTables, in reader: StoreReader) throws -> Int {
        try reader.withCursor(tables.statusBits) { cursor in
            var count = 0
            var positioned = try cursor.first()
            while positioned {
                let chunk = cursor.value
                var offset = 0
                while offset + 8 <= chunk.count {
                    count += chunk.loadUnaligned(fromByteOffset: offset, as: UInt64.self).nonzeroBitCount
                    offset += 8
                }
                while offset < chunk.count {
                    count += chunk[offset].nonzeroBitCount
                    offset += 1
                }
                positioned = try cursor.next()
            }
            return count
        }
    }

    /// Removes from `set` the customers whose status is not `status`, 64 at a time.
    static func restrict(_ set: inout SequenceBitSet, to status: CustomerStatus, tables: CustomerListTables, in reader: StoreReader) throws {
        let wordsPerChunk = Int(bitsPerChunk / 64)
        var chunkNumber = -1
        var chunk: [UInt8]?
        let wantVerified = status == .verified
        try set.formIntersectionThrowing { wordIndex in
            if wordIndex / wordsPerChunk != chunkNumber {
                chunkNumber = wordIndex / wordsPerChunk
                chunk = try reader.value(tables.statusBits, BigEndianUInt64(UInt64(chunkNumber)))
            }
            var verified: UInt64 = 0
            if let chunk {
                let base = (wordIndex % wordsPerChunk) * 8
                for byte in 0..<8 where base + byte < chunk.count { verified |= UInt64(chunk[base + byte]) << (8 * UInt64(byte)) }
            }
            return wantVerified ? verified : ~verified
        }
    }
}
