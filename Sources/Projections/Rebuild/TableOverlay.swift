#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventStore

/// Empty tables held in memory while a rebuild replays the log into them with the projection's own `apply`
/// (`ProjectionTables`): gets are answered from here, puts and deletes recorded here; afterwards each table's
/// entries come out in key order, to be appended to the real (empty) tables.
///
/// Compact on purpose (a million customers are millions of entries): per table one hash index of 32-bit entry
/// numbers, keys one after the other in a `ByteColumn` (with their first eight bytes as integers, for sorting),
/// values in one growing buffer, rewritten in place when the new value fits. A deleted entry keeps its key and
/// is skipped when written; a put brings it back.
final class TableOverlay: ProjectionTables {
    private(set) var tables: [TableSpec]
    private var contents: [OverlayTable]
    /// Set by the bulk loader for each read transaction.
    var reader: StoreReader?

    init(tables: [TableSpec]) {
        precondition(!tables.contains { $0.flags.contains(.duplicateSort) }, "the overlay holds plain tables only")
        self.tables = tables
        contents = tables.map { _ in OverlayTable() }
    }

    var log: StoreReader {
        guard let reader else { preconditionFailure("the overlay is used outside a read of the log") }
        return reader
    }

    /// Memory held (keys, values, index), to bound a bulk load.
    var byteCount: Int { contents.reduce(0) { $0 + $1.byteCount } }

    /// The table asked for last: `apply` mostly asks for one table several times in a row.
    private var lastIndex = 0

    /// The table's contents, found by name: first the table asked for last, then by length before bytes (a
    /// string comparison per call was a good part of a rebuild's time).
    @inline(__always)
    private func content(_ table: TableSpec) -> OverlayTable {
        if tables[lastIndex].name == table.name { return contents[lastIndex] }
        let length = table.name.utf8.count
        for index in tables.indices where tables[index].name.utf8.count == length && tables[index].name == table.name {
            lastIndex = index
            return contents[index]
        }
        preconditionFailure("table \(table.name) is not in the overlay")
    }

    func get<R>(_ table: TableSpec, _ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try key.withUnsafeBytes { try content(table).get($0, body) }
    }

    func put(_ table: TableSpec, _ key: [UInt8], _ value: [UInt8]) throws {
        try ProjectionTablesLimits.check(key: key, table: table)
        key.withUnsafeBytes { key in value.withUnsafeBytes { content(table).put(key, $0) } }
    }

    @discardableResult
    func delete(_ table: TableSpec, _ key: [UInt8]) throws -> Bool {
        key.withUnsafeBytes { content(table).delete($0) }
    }

    func forEach(_ table: TableSpec, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
        try content(table).forEach(body)
    }

    /// The live entries of table number `index` in key order: their count, and the entry at a place in that order
    /// (buffers valid while the overlay lives and is not changed).
    func sorted(_ index: Int) -> (count: Int, entry: (Int) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)) {
        let table = contents[index]
        let order = table.sortedLiveEntries()
        return (order.count, { table.entry(Int(order[$0])) })
    }
}

/// What LMDB refuses, refused the same way before it is recorded (an overlay must not accept what the store
/// would not).
enum ProjectionTablesLimits {
    static let maximumKeyBytes = 511

    static func check(key: [UInt8], table: TableSpec) throws {
        guard !key.isEmpty, key.count <= maximumKeyBytes else {
            throw ProjectionError.corruptIndex(table: table.name, reason: "a key of \(key.count) bytes, where LMDB holds 1–511")
        }
    }
}

/// One table of a `TableOverlay`.
private final class OverlayTable {
    private struct Entry {
        var valueStart: Int
        var valueCount: UInt32
        var valueCapacity: UInt32
        var isLive: Bool
    }

    private var keys = ByteColumn(keepsHeads: true)
    private var entries: [Entry] = []
    private var values: UnsafeMutablePointer<UInt8>
    private var valuesUsed = 0
    private var valuesCapacity = 4096
    /// Open addressing, linear probing; -1 is an empty slot. At most half full.
    private var index: UnsafeMutablePointer<Int32>
    private var indexMask = 1023

    init() {
        values = malloc(valuesCapacity)!.assumingMemoryBound(to: UInt8.self)
        index = .allocate(capacity: indexMask + 1)
        index.initialize(repeating: -1, count: indexMask + 1)
    }

    deinit {
        free(values)
        index.deallocate()
    }

    var byteCount: Int {
        keys.used + keys.count * 12 + entries.capacity * MemoryLayout<Entry>.stride + valuesCapacity + (indexMask + 1) * 4
    }

    func get<R>(_ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let slot = find(key)
        let number = index[slot]
        guard number >= 0, entries[Int(number)].isLive else { return nil }
        return try body(value(Int(number)))
    }

    func put(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        let slot = find(key)
        let number = index[slot]
        if number >= 0 {
            store(value, in: Int(number))
            return
        }
        let added = entries.count
        precondition(added < Int(Int32.max), "a rebuild overlay table grew past 2^31 entries")
        keys.append(key)
        entries.append(Entry(valueStart: 0, valueCount: 0, valueCapacity: 0, isLive: true))
        store(value, in: added)
        index[slot] = Int32(added)
        if entries.count * 2 > indexMask + 1 { growIndex() }
    }

    func delete(_ key: UnsafeRawBufferPointer) -> Bool {
        let number = index[find(key)]
        guard number >= 0, entries[Int(number)].isLive else { return false }
        entries[Int(number)].isLive = false
        return true
    }

    func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        for number in entries.indices where entries[number].isLive {
            try body(key(number), value(number))
        }
    }

    func entry(_ number: Int) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        (key(number), value(number))
    }

    /// Live entry numbers in memcmp order of their keys (keys are unique).
    func sortedLiveEntries() -> [Int32] {
        let live = entries.indices.compactMap { entries[$0].isLive ? Int32($0) : nil }
        var order = ColumnSort.sorted(live, by: keys)
        // The radix sort pads short keys with zeros: a key that is another one followed by zero bytes could come
        // out before it. Check, and sort by comparison in that (unusual) case.
        if !isStrictlyAscending(order) {
            order.sort { compare(Int($0), Int($1)) < 0 }
        }
        return order
    }

    private func isStrictlyAscending(_ order: [Int32]) -> Bool {
        for position in order.indices.dropFirst() where compare(Int(order[position - 1]), Int(order[position])) >= 0 {
            return false
        }
        return true
    }

    private func compare(_ lhs: Int, _ rhs: Int) -> Int {
        let left = key(lhs), right = key(rhs)
        let order = memcmp(left.baseAddress!, right.baseAddress!, min(left.count, right.count))
        if order != 0 { return order < 0 ? -1 : 1 }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }

    @inline(__always)
    private func key(_ number: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: keys.bytes + keys.start(number), count: keys.length(number))
    }

    @inline(__always)
    private func value(_ number: Int) -> UnsafeRawBufferPointer {
        let entry = entries[number]
        return UnsafeRawBufferPointer(start: values + entry.valueStart, count: Int(entry.valueCount))
    }

    private func store(_ value: UnsafeRawBufferPointer, in number: Int) {
        var entry = entries[number]
        if value.count > Int(entry.valueCapacity) {
            // A value that grew goes to the end (its old bytes stay unused: values rarely grow).
            if valuesUsed + value.count > valuesCapacity {
                var larger = valuesCapacity * 2
                while larger < valuesUsed + value.count { larger *= 2 }
                values = realloc(values, larger)!.assumingMemoryBound(to: UInt8.self)
                valuesCapacity = larger
            }
            entry.valueStart = valuesUsed
            entry.valueCapacity = UInt32(value.count)
            valuesUsed += value.count
        }
        if let base = value.baseAddress { (values + entry.valueStart).update(from: base.assumingMemoryBound(to: UInt8.self), count: value.count) }
        entry.valueCount = UInt32(value.count)
        entry.isLive = true
        entries[number] = entry
    }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ key: UnsafeRawBufferPointer) -> Int {
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & indexMask
        while true {
            let number = index[slot]
            if number < 0 { return slot }
            let stored = self.key(Int(number))
            if stored.count == key.count && (key.count == 0 || memcmp(stored.baseAddress!, key.baseAddress!, key.count) == 0) {
                return slot
            }
            slot = (slot + 1) & indexMask
        }
    }

    private func growIndex() {
        let newMask = (indexMask + 1) * 2 - 1
        let grown = UnsafeMutablePointer<Int32>.allocate(capacity: newMask + 1)
        grown.initialize(repeating: -1, count: newMask + 1)
        for number in entries.indices {
            var slot = Int(truncatingIfNeeded: Self.hash(key(number))) & newMask
            while grown[slot] >= 0 { slot = (slot + 1) & newMask }
            grown[slot] = Int32(number)
        }
        index.deallocate()
        index = grown
        indexMask = newMask
    }

    /// 64-bit mix of the key, eight bytes at a time.
    @inline(__always)
    private static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var offset = 0
        while offset + 8 <= key.count {
            hash = (hash ^ key.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < key.count {
            tail = tail << 8 | UInt64(key[offset])
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 32)
    }
}
