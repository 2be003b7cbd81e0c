import Foundation

/// Version-4 (random) UUIDs from the kernel's `getrandom`, through `SystemRandomNumberGenerator`.
///
/// Foundation's `UUID()` opens, reads and closes `/dev/urandom` for every id on Linux (a path lookup and three
/// system calls); this takes two `getrandom` calls, on every command (its correlation id) and every event (its id).
public enum RandomUUID {
    public static func next() -> UUID {
        var generator = SystemRandomNumberGenerator()
        return make((generator.next(), generator.next()))
    }

    /// The layout of RFC 9562 §5.4: 122 random bits, version 4 in byte 6's high nibble, variant 0b10 in byte 8.
    static func make(_ random: (UInt64, UInt64)) -> UUID {
        let high = random.0 & 0xFFFF_FFFF_FFFF_0FFF | 0x4000
        let low = random.1 & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        func byte(_ value: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * index)) }
        return UUID(uuid: (byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
                           byte(high, 6), byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3),
                           byte(low, 4), byte(low, 5), byte(low, 6), byte(low, 7)))
    }
}
