#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Customer stream → a small number (the customer's ordinal), for scans over millions of events that must not
/// make a `String` per event.
///
/// Only names of the form `CustomerID.streamName` writes (`customer-` and a lower-case UUID) are kept here, as
/// their 128 bits (`key(of:)`); callers keep other names in a `[String: Int32]` with Swift's `String` equality,
/// as a dictionary of stream names would. The two never disagree: such a name is pure ASCII of `[a-z0-9-]`,
/// and no other string (not even a canonically equivalent one) equals it.
///
/// The table is open addressing over 8-byte entries (32 bits of the key's hash, ordinal + 1); the keys
/// themselves sit in an array by ordinal, which a lookup reads only when the hash bits match. Small entries
/// keep the random accesses of a million-customer scan few and cheap.
final class StreamOrdinals {
    struct Key: Equatable, Sendable {
        var high: UInt64
        var low: UInt64
    }

    private struct Entry {
        var tag: UInt32
        /// Ordinal + 1; 0 = empty.
        var value: UInt32
    }

    private var entries: UnsafeMutablePointer<Entry>
    private var mask: Int
    private var filled = 0
    /// The key of each ordinal that was `set` (unset ordinals hold a key no lookup matches by accident: the
    /// table only points at ordinals that were set).
    private var keys: [Key] = []

    init(expected: Int) {
        var capacity = 1024
        while capacity * 3 < expected * 4 { capacity <<= 1 }
        entries = Self.allocateZeroed(capacity)
        mask = capacity - 1
        keys.reserveCapacity(expected)
    }

    deinit { entries.deallocate() }

    /// Written, not just allocated: a page the kernel maps as "zero" on a first read would have to be copied and
    /// its mapping flushed on every core on the first write.
    private static func allocateZeroed(_ capacity: Int) -> UnsafeMutablePointer<Entry> {
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
        entries.initialize(repeating: Entry(tag: 0, value: 0), count: capacity)
        return entries
    }

    subscript(key: Key) -> Int32? {
        let entries = self.entries
        let mask = self.mask
        let hash = Self.hash(key)
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var index = Int(truncatingIfNeeded: hash) & mask
        while entries[index].value != 0 {
            if entries[index].tag == tag {
                let ordinal = Int(entries[index].value - 1)
                if keys[ordinal] == key { return Int32(ordinal) }
            }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Reads the table entry where a lookup of `key` starts (call it for many keys before setting them: the
    /// cache misses then overlap).
    @inline(__always)
    func touch(_ key: Key) -> UInt32 {
        entries[Int(truncatingIfNeeded: Self.hash(key)) & mask].value
    }

    /// Maps `key` to `ordinal` (replacing an earlier mapping of the key).
    func set(_ key: Key, _ ordinal: Int32) {
        let slot = Int(ordinal)
        while keys.count <= slot { keys.append(Key(high: 0, low: 0)) }
        keys[slot] = key
        if (filled + 1) * 4 > (mask + 1) * 3 { grow() }
        let entries = self.entries
        let mask = self.mask
        let hash = Self.hash(key)
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        var index = Int(truncatingIfNeeded: hash) & mask
        while entries[index].value != 0 {
            if entries[index].tag == tag && Int(entries[index].value - 1) != slot && keys[Int(entries[index].value - 1)] == key {
                entries[index].value = UInt32(slot + 1)
                return
            }
            index = (index + 1) & mask
        }
        entries[index] = Entry(tag: tag, value: UInt32(slot + 1))
        filled += 1
    }

    private func grow() {
        let old = entries
        let oldCapacity = mask + 1
        entries = Self.allocateZeroed(oldCapacity * 2)
        mask = oldCapacity * 2 - 1
        for slot in 0..<oldCapacity where old[slot].value != 0 {
            var index = Int(truncatingIfNeeded: Self.hash(keys[Int(old[slot].value - 1)])) & mask
            while entries[index].value != 0 { index = (index + 1) & mask }
            entries[index] = old[slot]
        }
        old.deallocate()
    }

    @inline(__always)
    private static func hash(_ key: Key) -> UInt64 {
        let mixed = (key.high ^ (key.low &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        return mixed ^ (mixed >> 29)
    }

    /// The UUID of `customer-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (lower-case hex only), or nil for any other name.
    @inline(__always)
    static func key(of stream: UnsafeRawBufferPointer) -> Key? {
        guard stream.count == 45, let base = stream.baseAddress else { return nil }
        // "customer" as a little-endian word, then the dashes.
        guard base.loadUnaligned(as: UInt64.self) == UInt64(littleEndian: 0x7265_6D6F_7473_7563),
              base.load(fromByteOffset: 8, as: UInt8.self) == 0x2D, base.load(fromByteOffset: 17, as: UInt8.self) == 0x2D,
              base.load(fromByteOffset: 22, as: UInt8.self) == 0x2D, base.load(fromByteOffset: 27, as: UInt8.self) == 0x2D,
              base.load(fromByteOffset: 32, as: UInt8.self) == 0x2D
        else { return nil }
        // The 32 hex digits, gathered without the dashes into four words of eight.
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { target in
            let target = target.baseAddress!
            target.copyMemory(from: base + 9, byteCount: 8)
            target.advanced(by: 8).copyMemory(from: base + 18, byteCount: 4)
            target.advanced(by: 12).copyMemory(from: base + 23, byteCount: 4)
            target.advanced(by: 16).copyMemory(from: base + 28, byteCount: 4)
            target.advanced(by: 20).copyMemory(from: base + 33, byteCount: 12)
        }
        guard let a = hexWord(UInt64(littleEndian: digits.0)), let b = hexWord(UInt64(littleEndian: digits.1)),
              let c = hexWord(UInt64(littleEndian: digits.2)), let d = hexWord(UInt64(littleEndian: digits.3))
        else { return nil }
        return Key(high: a << 32 | b, low: c << 32 | d)
    }

    /// Eight lower-case hex digits (first digit in the low byte) as their 32-bit value, or nil.
    @inline(__always)
    static func hexWord(_ word: UInt64) -> UInt64? {
        let high: UInt64 = 0x8080_8080_8080_8080
        guard word & high == 0 else { return nil }
        // Per byte b < 0x80: b + (0x80 - n) has its high bit set exactly when b >= n (no carry between bytes).
        let atLeast0 = word &+ 0x5050_5050_5050_5050  // b >= 0x30
        let above9 = word &+ 0x4646_4646_4646_4646    // b >= 0x3A
        let atLeastA = word &+ 0x1F1F_1F1F_1F1F_1F1F  // b >= 0x61
        let aboveF = word &+ 0x1919_1919_1919_1919    // b >= 0x67
        let valid = ((atLeast0 & ~above9) | (atLeastA & ~aboveF)) & high
        guard valid == high else { return nil }
        // '0'…'9' → low nibble; 'a'…'f' → low nibble + 9 (bit 6 marks the letters).
        var value = (word & 0x0F0F_0F0F_0F0F_0F0F) &+ ((word >> 6) & 0x0101_0101_0101_0101) &* 9
        // Pack: each byte holds a digit, the first in the lowest byte; the first digit is the most significant.
        value = ((value & 0x000F_000F_000F_000F) << 4) | ((value >> 8) & 0x000F_000F_000F_000F)
        value = ((value & 0x0000_00FF_0000_00FF) << 8) | ((value >> 16) & 0x0000_00FF_0000_00FF)
        value = ((value & 0x0000_0000_0000_FFFF) << 16) | ((value >> 32) & 0x0000_0000_0000_FFFF)
        return value
    }
}
