#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventStore

/// Walks two tables in key order side by side and reports every entry that is not in both with the same value
/// (for duplicate-sorted tables an entry is a key/value pair). `pause` runs every `pauseInterval` entries (the
/// rebuilder lets go of the pages read so far there: two tables of a million entries are a lot of memory).
enum TableComparison {
    static let pauseInterval = 1 << 16

    static func compare(
        live: Table, rebuilt: Table, in reader: StoreReader, pause: () -> Void = {},
        _ report: (_ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws {
        let pairs = live.flags.contains(.duplicateSort)
        try reader.withCursor(live) { liveCursor in
            try reader.withCursor(rebuilt) { rebuiltCursor in
                var hasLive = try liveCursor.first()
                var hasRebuilt = try rebuiltCursor.first()
                var walked = 0
                while hasLive || hasRebuilt {
                    walked += 1
                    if walked % Self.pauseInterval == 0 { pause() }
                    var order = 0
                    if hasLive && hasRebuilt {
                        order = compareRaw(liveCursor.key, rebuiltCursor.key)
                        if order == 0 && pairs { order = compareRaw(liveCursor.value, rebuiltCursor.value) }
                    } else {
                        order = hasLive ? -1 : 1
                    }
                    if order == 0 {
                        if compareRaw(liveCursor.value, rebuiltCursor.value) != 0 {
                            report(Array(liveCursor.key), .different, Array(liveCursor.value), Array(rebuiltCursor.value))
                        }
                        hasLive = try liveCursor.next()
                        hasRebuilt = try rebuiltCursor.next()
                    } else if order < 0 {
                        report(Array(liveCursor.key), .extra, Array(liveCursor.value), nil)
                        hasLive = try liveCursor.next()
                    } else {
                        report(Array(rebuiltCursor.key), .missing, nil, Array(rebuiltCursor.value))
                        hasRebuilt = try rebuiltCursor.next()
                    }
                }
            }
        }
    }

    /// Whether the two tables hold exactly the same entries (stops at the first difference).
    static func areIdentical(_ lhs: Table, _ rhs: Table, in reader: StoreReader) throws -> Bool {
        try reader.withCursor(lhs) { left in
            try reader.withCursor(rhs) { right in
                var hasLeft = try left.first()
                var hasRight = try right.first()
                while hasLeft && hasRight {
                    guard compareRaw(left.key, right.key) == 0, compareRaw(left.value, right.value) == 0 else { return false }
                    hasLeft = try left.next()
                    hasRight = try right.next()
                }
                return hasLeft == hasRight
            }
        }
    }

    /// memcmp order, then the shorter first.
    static func compareRaw(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let count = min(lhs.count, rhs.count)
        if count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress {
            let order = memcmp(left, right, count)
            if order != 0 { return order < 0 ? -1 : 1 }
        }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }
}
