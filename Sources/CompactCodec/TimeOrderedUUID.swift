import Foundation

/// Version-7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter, then 62 random bits.
///
/// Used for the ids that become LMDB keys as they are made (event ids key the outbox's entries, customer ids the
/// customers' streams and per-customer tables). A random id lands anywhere in its B-tree: every insert splits a
/// page in the middle and the tables stay about two-thirds full. Ids that grow with time land at the right edge,
/// where a full page is left full, so those tables take about a third less room. Within this process the ids are
/// strictly increasing (the counter, RFC 9562's method 1, carries into the milliseconds when a millisecond holds
/// more than 4096 ids or the clock steps back); across processes they are ordered to the millisecond.
///
/// An id reveals when it was made, to the millisecond: nothing that the log's recorded times do not say already.
/// Uniqueness rests on the 62 random bits per millisecond and counter value, as a version-4 UUID's on its 122.
public enum TimeOrderedUUID {
    private static let state = GeneratorState()

    /// The next id of this process.
    public static func next() -> UUID {
        var random = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, (Date().timeIntervalSince1970 * 1000).rounded(.down)))
        let (stamp, counter) = state.advance(to: milliseconds, seed: UInt16.random(in: 0..<0x400, using: &random))
        return make(milliseconds: stamp, counter: counter, random: random.next())
    }

    /// The layout: `milliseconds` (48 bits) ‖ version 7 ‖ `counter` (12 bits) ‖ variant 0b10 ‖ 62 bits of `random`.
    public static func make(milliseconds: UInt64, counter: UInt16, random: UInt64) -> UUID {
        UUID(
            high: (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | UInt64(counter & 0x0FFF),
            low: random & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000)
    }

    /// The last millisecond and counter handed out, under a lock (ids are made on many threads at once).
    private final class GeneratorState: @unchecked Sendable {
        private let lock = NSLock()
        private var lastMilliseconds: UInt64 = 0
        private var lastCounter: UInt16 = 0

        /// A new millisecond starts its counter at `seed` (below 1024, leaving room to count up); the same or an
        /// earlier one counts on from the last id.
        func advance(to milliseconds: UInt64, seed: UInt16) -> (UInt64, UInt16) {
            lock.lock()
            defer { lock.unlock() }
            if milliseconds > lastMilliseconds {
                lastMilliseconds = milliseconds
                lastCounter = seed
            } else if lastCounter < 0x0FFF {
                lastCounter += 1
            } else {
                lastMilliseconds += 1
                lastCounter = 0
            }
            return (lastMilliseconds, lastCounter)
        }
    }
}
