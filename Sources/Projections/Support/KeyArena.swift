#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Many short byte strings in one buffer, sortable in LMDB key order without an allocation per key (sorting
/// an array of arrays retains and releases on every comparison, which dominated rebuild profiles).
struct KeyArena {
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int] = [0]

    var count: Int { starts.count - 1 }

    mutating func append(_ key: [UInt8]) {
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
    }

    mutating func reserve(keys: Int, bytes byteCount: Int) {
        starts.reserveCapacity(keys + 1)
        bytes.reserveCapacity(byteCount)
    }

    /// Indices of the keys in memcmp order.
    func sortedIndices() -> [Int] {
        var indices = Array(0..<count)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let starts = self.starts
            indices.sort { lhs, rhs in
                let leftStart = starts[lhs], leftCount = starts[lhs + 1] - leftStart
                let rightStart = starts[rhs], rightCount = starts[rhs + 1] - rightStart
                let order = memcmp(base + leftStart, base + rightStart, min(leftCount, rightCount))
                return order != 0 ? order < 0 : leftCount < rightCount
            }
        }
        return indices
    }

    /// Calls `body` with the bytes of key `index`.
    func withKey<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[starts[index]..<starts[index + 1]]))
        }
    }
}


extension KeyArena {
    /// memcmp order of two keys.
    func compare(_ lhs: Int, _ rhs: Int) -> Int {
        let leftStart = starts[lhs], leftCount = starts[lhs + 1] - leftStart
        let rightStart = starts[rhs], rightCount = starts[rhs + 1] - rightStart
        let order = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return 0 }
            return memcmp(base + leftStart, base + rightStart, min(leftCount, rightCount))
        }
        if order != 0 { return order < 0 ? -1 : 1 }
        return leftCount == rightCount ? 0 : (leftCount < rightCount ? -1 : 1)
    }
}
