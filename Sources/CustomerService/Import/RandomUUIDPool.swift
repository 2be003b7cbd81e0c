import CompactCodec
import Foundation

/// Random (version 4) UUIDs for the ids an import hands out — customer ids and event ids — cut from kernel
/// CSPRNG bytes fetched 4 KiB at a time. Foundation's `UUID()` on Linux opens, reads and closes /dev/urandom for
/// every id: measured, that was 2.5 file opens per imported row and the largest system-call cost of an import.
/// The ids are as unpredictable as `UUID()`'s (the same kernel source), only fetched in bulk.
struct RandomUUIDPool {
    private static let refillBytes = 4096
    private var bytes: [UInt8] = []
    private var index = 0

    mutating func next() -> UUID {
        if index + 16 > bytes.count {
            bytes = SecureRandom.bytes(Self.refillBytes)
            index = 0
        }
        var raw = Array(bytes[index..<index + 16])
        index += 16
        raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
        raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(bytes: raw) ?? UUID()  // 16 bytes: never the fallback
    }
}
