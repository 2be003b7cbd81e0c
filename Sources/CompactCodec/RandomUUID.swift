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
        UUID(high: random.0 & 0xFFFF_FFFF_FFFF_0FFF | 0x4000, low: random.1 & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000)
    }
}
