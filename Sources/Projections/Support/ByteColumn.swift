#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Many short byte strings, one after the other in one buffer (entry `i` is `bytes[starts[i]..<starts[i + 1]]`),
/// with the first eight bytes of each as a big-endian integer (`heads`), which orders the entries like memcmp
/// whenever two heads differ. What the rebuild keeps per customer: no allocation per entry, and a sort compares
/// integers instead of byte arrays.
///
/// A struct, so that appending to it in a hot loop costs no dynamic exclusivity check; the memory is owned by
/// a private object that copies share. Copy a column only once it is complete: a copy does not see the
/// entries appended to the original afterwards (and its `bytes` may be stale once the original grew).
struct ByteColumn {
    private final class Storage {
        var pointer: UnsafeMutablePointer<UInt8>
        init(capacity: Int) { pointer = malloc(capacity)!.assumingMemoryBound(to: UInt8.self) }
        deinit { free(pointer) }
    }

    private var storage: Storage
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var used = 0
    /// 32-bit offsets (half the memory of `Int`): a column holds less than 4 GiB (`commit` checks).
    private var starts: [UInt32] = [0]
    private(set) var heads: [UInt64] = []
    private let keepsHeads: Bool

    init(entries: Int = 0, bytes byteCount: Int = 0, keepsHeads: Bool) {
        capacity = max(64, byteCount)
        storage = Storage(capacity: capacity)
        bytes = storage.pointer
        self.keepsHeads = keepsHeads
        starts.reserveCapacity(entries + 1)
        if keepsHeads { heads.reserveCapacity(entries) }
    }

    var count: Int { starts.count - 1 }

    /// Room for `count` more bytes at the end; write them, then `commit(count)`.
    @inline(__always)
    mutating func reserveTail(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if used + count > capacity { grow(to: used + count) }
        return bytes + used
    }

    /// Ends the entry written with `reserveTail` after `count` bytes.
    @inline(__always)
    mutating func commit(_ count: Int) {
        if keepsHeads { heads.append(Self.head(bytes + used, count)) }
        used += count
        precondition(used <= Int(UInt32.max), "a bulk-load column grew past 4 GiB: lower the rebuild's customer limit")
        starts.append(UInt32(truncatingIfNeeded: used))
    }

    mutating func append(_ source: UnsafeRawBufferPointer) {
        let target = reserveTail(source.count)
        if let base = source.baseAddress { target.update(from: base.assumingMemoryBound(to: UInt8.self), count: source.count) }
        commit(source.count)
    }

    mutating func append(_ source: [UInt8]) {
        source.withUnsafeBytes { append($0) }
    }

    private mutating func grow(to minimum: Int) {
        var larger = capacity * 2
        while larger < minimum { larger *= 2 }
        storage.pointer = realloc(storage.pointer, larger)!.assumingMemoryBound(to: UInt8.self)
        bytes = storage.pointer
        capacity = larger
    }

    @inline(__always)
    func start(_ index: Int) -> Int { Int(starts[index]) }

    @inline(__always)
    func length(_ index: Int) -> Int { Int(starts[index + 1] &- starts[index]) }

    /// Bytes `offset..<offset + 8` of entry `index` as a big-endian integer, zero-padded past its end.
    @inline(__always)
    func chunk(_ index: Int, at offset: Int) -> UInt64 {
        let start = Int(starts[index])
        let count = Int(starts[index + 1]) - start
        return offset >= count ? 0 : Self.head(bytes + start + offset, count - offset)
    }

    @inline(__always)
    static func head(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        if count >= 8 { return UInt64(bigEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self)) }
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | (index < count ? UInt64(pointer[index]) : 0) }
        return value
    }
}

/// Orders entries of a `ByteColumn` by their bytes (memcmp order, shorter first on a common prefix), ties by
/// entry number — the order of the customer list's name and email indexes, without comparing byte arrays:
/// a stable LSD radix sort on the first eight bytes, then, inside runs that share them, the same on the next
/// eight, and so on (no entry is another one followed by 0 bytes, so zero padding sorts a shorter entry first).
enum ColumnSort {
    fileprivate struct Item {
        var key: UInt64
        var entry: UInt32
    }

    /// Buffers for sorting, kept from one sort to the next (fresh memory costs a page fault per page).
    final class Workspace {
        fileprivate var items = UnsafeMutableBufferPointer<Item>(start: nil, count: 0)
        fileprivate var scratch = UnsafeMutableBufferPointer<Item>(start: nil, count: 0)

        init() {}

        deinit {
            items.deallocate()
            scratch.deallocate()
        }

        fileprivate func reserve(_ count: Int) {
            guard items.count < count else { return }
            items.deallocate()
            scratch.deallocate()
            items = .allocate(capacity: count)
            scratch = .allocate(capacity: count)
        }
    }

    /// `entries` ascending; returns them in column order.
    static func sorted(_ entries: [Int32], by column: ByteColumn, workspace: Workspace = Workspace()) -> [Int32] {
        let count = entries.count
        guard count > 1 else { return entries }
        workspace.reserve(count)
        let items = UnsafeMutableBufferPointer(rebasing: workspace.items[0..<count])
        let scratch = UnsafeMutableBufferPointer(rebasing: workspace.scratch[0..<count])
        column.heads.withUnsafeBufferPointer { heads in
            for index in 0..<count {
                let entry = Int(entries[index])
                items[index] = Item(key: heads[entry], entry: UInt32(entry))
            }
        }
        radixSort(items, scratch: scratch)
        resolveTies(items, scratch: scratch, column: column, depth: 0)
        return items.map { Int32(bitPattern: $0.entry) }
    }

    /// Stable LSD radix sort on `key`, 11 bits per pass; passes where every key has the same digit are skipped.
    private static func radixSort(_ buffer: UnsafeMutableBufferPointer<Item>, scratch: UnsafeMutableBufferPointer<Item>) {
        var items = buffer
        let count = items.count
        if count < 256 {
            items.sort { ($0.key, $0.entry) < ($1.key, $1.entry) }
            return
        }
        let bits = 11
        let passes = 6
        let buckets = 1 << bits
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: passes * buckets)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0, count: passes * buckets)
        for item in items {
            var key = item.key
            for pass in 0..<passes {
                counts[pass * buckets + Int(key & UInt64(buckets - 1))] += 1
                key >>= UInt64(bits)
            }
        }
        var source = items.baseAddress!
        var target = scratch.baseAddress!
        for pass in 0..<passes {
            let histogram = counts + pass * buckets
            let shift = UInt64(pass * bits)
            if histogram[Int((source[0].key >> shift) & UInt64(buckets - 1))] == count { continue }
            var total = 0
            for bucket in 0..<buckets {
                let size = histogram[bucket]
                histogram[bucket] = total
                total += size
            }
            for index in 0..<count {
                let item = source[index]
                let bucket = Int((item.key >> shift) & UInt64(buckets - 1))
                target[histogram[bucket]] = item
                histogram[bucket] += 1
            }
            swap(&source, &target)
        }
        if source != items.baseAddress! { items.baseAddress!.update(from: source, count: count) }
    }

    /// Sorts each run of equal keys by the next eight bytes, recursively. When every entry of a run ends within
    /// the bytes compared so far, they are all equal (no entry is another followed by 0 bytes) and already in
    /// entry order.
    private static func resolveTies(
        _ items: UnsafeMutableBufferPointer<Item>, scratch: UnsafeMutableBufferPointer<Item>, column: ByteColumn, depth: Int
    ) {
        var start = 0
        let count = items.count
        while start < count {
            var end = start + 1
            let key = items[start].key
            while end < count && items[end].key == key { end += 1 }
            if end - start > 1 && (start..<end).contains(where: { column.length(Int(items[$0].entry)) > depth + 8 }) {
                let run = UnsafeMutableBufferPointer(rebasing: items[start..<end])
                for index in run.indices { run[index].key = column.chunk(Int(run[index].entry), at: depth + 8) }
                let runScratch = UnsafeMutableBufferPointer(rebasing: scratch[start..<end])
                radixSort(run, scratch: runScratch)
                resolveTies(run, scratch: runScratch, column: column, depth: depth + 8)
            }
            start = end
        }
    }
}
