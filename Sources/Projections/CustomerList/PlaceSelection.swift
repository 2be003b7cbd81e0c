import Foundation

/// The first `limit` places in list order (memcmp order of the places, reversed when `descending`) among those
/// offered, strictly after `after` when given: a searched page out of all its matches without sorting them all.
///
/// Offered places are kept only when they can still be among the first `limit`: once `2 × limit + 64` are kept,
/// they are sorted and cut to `limit`, and the last one kept becomes the bound every later place must beat
/// (one `memcmp`, no allocation, for the many that do not). Places are distinct (each ends with its customer's
/// creation sequence), so "beat" is strict.
struct PlaceSelection {
    let limit: Int
    let descending: Bool
    let after: [UInt8]?
    private var kept: [[UInt8]] = []
    private var bound: [UInt8]?

    init(limit: Int, descending: Bool, after: [UInt8]?) {
        self.limit = limit
        self.descending = descending
        self.after = after
    }

    /// Whether `lhs` comes before `rhs` in the list's direction.
    @inline(__always)
    private static func precedes(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer, descending: Bool) -> Bool {
        let common = min(lhs.count, rhs.count)
        var comparison = common == 0 ? 0 : Int(memcmp(lhs.baseAddress!, rhs.baseAddress!, common))
        if comparison == 0 { comparison = lhs.count - rhs.count }
        return descending ? comparison > 0 : comparison < 0
    }

    mutating func offer(_ place: UnsafeRawBufferPointer) {
        guard limit > 0 else { return }
        if let after, !after.withUnsafeBytes({ Self.precedes($0, place, descending: descending) }) { return }
        if let bound, !bound.withUnsafeBytes({ Self.precedes(place, $0, descending: descending) }) { return }
        kept.append(Array(place))
        if kept.count >= 2 * limit + 64 { trim() }
    }

    private mutating func trim() {
        let descending = descending
        kept.sort { lhs, rhs in lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in Self.precedes(l, r, descending: descending) } } }
        if kept.count > limit {
            kept.removeLast(kept.count - limit)
            bound = kept.last
        }
    }

    /// The first `limit` places offered, in order.
    mutating func places() -> [[UInt8]] {
        trim()
        return kept
    }
}
