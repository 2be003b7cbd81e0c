/// SHA-256 as specified in FIPS 180-4, written out by hand because the package has no dependencies
/// (swift-crypto is off the table) and Foundation on Linux exposes no digest API.
///
/// Only used for HMAC over short token messages, so the implementation favours being obviously
/// correct over being fast; it is still allocation-free per block.
public struct SHA256: Sendable {
    public static let digestByteCount = 32
    public static let blockByteCount = 64

    /// FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private static let initialState: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    /// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var state: [UInt32]
    /// Bytes received but not yet compressed; always fewer than one block.
    private var pending: [UInt8]
    /// Total message length so far. FIPS 180-4 limits messages to 2^64 bits; wrapping matches every
    /// other implementation for (never reached) longer inputs instead of trapping.
    private var messageByteCount: UInt64

    public init() {
        state = Self.initialState
        pending = []
        pending.reserveCapacity(Self.blockByteCount)
        messageByteCount = 0
    }

    /// One-shot digest of any byte sequence.
    public static func hash<D: Sequence>(_ data: D) -> [UInt8] where D.Element == UInt8 {
        var hasher = SHA256()
        let wasContiguous: Void? = data.withContiguousStorageIfAvailable { buffer in
            hasher.update(UnsafeRawBufferPointer(buffer))
        }
        if wasContiguous == nil {
            // Non-contiguous sequences (lazy maps, repeatElement, ...) are fed through a bounded
            // buffer rather than materialised, so hashing a long generated sequence stays cheap.
            var chunk: [UInt8] = []
            chunk.reserveCapacity(4096)
            for byte in data {
                chunk.append(byte)
                if chunk.count == 4096 {
                    chunk.withUnsafeBytes { hasher.update($0) }
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    /// Feeds more message bytes. Chunk boundaries are irrelevant to the result.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        // An empty buffer may have a nil base address; nothing to do anyway.
        guard !bytes.isEmpty else { return }
        messageByteCount &+= UInt64(bytes.count)
        var offset = 0

        if !pending.isEmpty {
            let take = min(Self.blockByteCount - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            offset = take
            guard pending.count == Self.blockByteCount else { return }
            pending.withUnsafeBytes { Self.compress(block: $0, into: &state) }
            pending.removeAll(keepingCapacity: true)
        }

        // Whole blocks straight from the caller's memory: no copying.
        while bytes.count - offset >= Self.blockByteCount {
            let block = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Self.blockByteCount)])
            Self.compress(block: block, into: &state)
            offset += Self.blockByteCount
        }

        if offset < bytes.count {
            pending.append(contentsOf: bytes[offset...])
        }
    }

    /// Pads (FIPS 180-4 §5.1.1), returns the 32-byte digest, and resets the hasher to its initial
    /// state so that a reused instance can never silently continue a finished message.
    public mutating func finalize() -> [UInt8] {
        let bitLength = messageByteCount &* 8

        var tail = pending
        tail.append(0x80)
        // Pad with zeros until 8 bytes short of a block boundary, leaving room for the length.
        while tail.count % Self.blockByteCount != Self.blockByteCount - 8 {
            tail.append(0)
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }

        tail.withUnsafeBytes { tailBytes in
            var offset = 0
            while offset < tailBytes.count {
                let block = UnsafeRawBufferPointer(rebasing: tailBytes[offset..<(offset + Self.blockByteCount)])
                Self.compress(block: block, into: &state)
                offset += Self.blockByteCount
            }
        }

        var digest: [UInt8] = []
        digest.reserveCapacity(Self.digestByteCount)
        for word in state {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }

        self = SHA256()
        return digest
    }

    /// The compression function (FIPS 180-4 §6.2.2) applied to one 64-byte block.
    private static func compress(block: UnsafeRawBufferPointer, into state: inout [UInt32]) {
        precondition(block.count == blockByteCount, "SHA256.compress needs exactly one block")
        let k = roundConstants

        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            // Message schedule: words are big-endian; the buffer may be unaligned.
            for t in 0..<16 {
                w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }

            var a = state[0], b = state[1], c = state[2], d = state[3]
            var e = state[4], f = state[5], g = state[6], h = state[7]

            for t in 0..<64 {
                let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let choose = (e & f) ^ (~e & g)
                let t1 = h &+ bigSigma1 &+ choose &+ k[t] &+ w[t]
                let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = bigSigma0 &+ majority
                h = g
                g = f
                f = e
                e = d &+ t1
                d = c
                c = b
                b = a
                a = t1 &+ t2
            }

            state[0] &+= a
            state[1] &+= b
            state[2] &+= c
            state[3] &+= d
            state[4] &+= e
            state[5] &+= f
            state[6] &+= g
            state[7] &+= h
        }
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x >> n) | (x << (32 - n))
    }
}
