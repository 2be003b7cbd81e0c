import CLMDB
import Foundation

/// A read snapshot. Only valid inside the `Environment.read`/`write` closure that handed it out: every byte
/// buffer it gives you points into the memory map and is valid only inside the closure that received it.
///
/// Not `Sendable` on purpose: a transaction belongs to the thread running the closure.
public class ReadTransaction {
    let handle: OpaquePointer
    unowned let environment: Environment
    private(set) var isLive = true

    init(handle: OpaquePointer, environment: Environment) {
        self.handle = handle
        self.environment = environment
    }

    func invalidate() { isLive = false }

    @inline(__always)
    func ensureLive() {
        precondition(isLive, "an LMDB transaction was used after its closure returned")
    }

    /// The committed state this snapshot sees; nil for the write transaction, whose data changes as it writes.
    public final var snapshotIdentity: SnapshotIdentity? {
        ensureLive()
        guard !(self is WriteTransaction) else { return nil }
        return SnapshotIdentity(environment: environment.serial, dataFile: environment.dataFileGeneration, transaction: mdb_txn_id(handle))
    }

    /// The table opened at start-up under `name`.
    public func table(_ name: String) -> Table { environment.table(name) }

    /// Calls `body` with the value stored under `key`, or returns nil when there is none.
    /// The buffer points into the map: copy what you keep.
    public func get<Key: ContiguousBytes, R>(
        _ table: Table, _ key: Key, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        ensureLive()
        if table.isAbsent { return nil }
        var data = MDB_val()
        let rc: Int32 = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_get(handle, table.dbi, &keyVal, &data)
        }
        if rc == MDB_NOTFOUND { return nil }
        try checkPut(rc, "mdb_get", table)
        return try body(UnsafeRawBufferPointer(start: data.mv_data, count: data.mv_size))
    }

    /// A copy of the value stored under `key`.
    public func value<Key: ContiguousBytes>(_ table: Table, _ key: Key) throws -> [UInt8]? {
        try get(table, key) { Array($0) }
    }

    public func contains<Key: ContiguousBytes>(_ table: Table, _ key: Key) throws -> Bool {
        try get(table, key) { _ in true } ?? false
    }

    /// Number of entries in a table.
    public func count(_ table: Table) throws -> Int {
        ensureLive()
        if table.isAbsent { return 0 }
        var stat = MDB_stat()
        try check(mdb_stat(handle, table.dbi, &stat), "mdb_stat", table.name)
        return stat.ms_entries
    }

    /// How many entries the main database holds: the named tables (and any keys a program put there).
    func namedTableCount() throws -> Int {
        ensureLive()
        var stat = MDB_stat()
        try check(mdb_stat(handle, MDB_dbi(1), &stat), "mdb_stat", "main database")  // 1: MAIN_DBI
        return stat.ms_entries
    }

    /// Runs `body` with a cursor over `table`; the cursor is closed when `body` returns.
    public func withCursor<R>(_ table: Table, _ body: (Cursor) throws -> R) throws -> R {
        ensureLive()
        if table.isAbsent {
            let empty = Cursor(handle: nil, transaction: self, table: table)
            defer { empty.invalidate() }
            return try body(empty)
        }
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, table.dbi, &cursor), "mdb_cursor_open", table.name)
        guard let cursor else { throw LMDBError(code: EINVAL, function: "mdb_cursor_open", context: table.name) }
        let wrapper = Cursor(handle: cursor, transaction: self, table: table)
        defer {
            wrapper.invalidate()
            mdb_cursor_close(cursor)
        }
        return try body(wrapper)
    }

    func checkPut(_ rc: Int32, _ function: String, _ table: Table) throws {
        guard rc != MDB_SUCCESS else { return }
        throw LMDBError(code: rc, function: function, context: "table \(table.name)")
    }
}

/// The single write transaction. Everything written through it commits atomically and durably when the
/// `Environment.write` closure returns, or not at all.
public final class WriteTransaction: ReadTransaction {
    /// Set when LMDB reported `MDB_MAP_FULL`: the transaction is dead and `Environment.write` grows the map and
    /// replays the closure, whatever error the closure ended up throwing.
    var hitMapFull = false

    public struct PutOptions: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Fail with `.keyExists` instead of overwriting.
        public static let noOverwrite = PutOptions(rawValue: UInt32(MDB_NOOVERWRITE))
        /// The key sorts after every key in the table (fast path for sequence numbers; `.keyExists` otherwise).
        public static let append = PutOptions(rawValue: UInt32(MDB_APPEND))
        /// In a duplicate-sorted table: fail with `.keyExists` if this exact key/value pair exists.
        public static let noDuplicateData = PutOptions(rawValue: UInt32(MDB_NODUPDATA))
    }

    public func put<Key: ContiguousBytes, Value: ContiguousBytes>(
        _ table: Table, _ key: Key, _ value: Value, options: PutOptions = []
    ) throws {
        ensureLive()
        let rc: Int32 = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var dataVal = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                return mdb_put(handle, table.dbi, &keyVal, &dataVal, options.rawValue)
            }
        }
        if rc == MDB_MAP_FULL { hitMapFull = true }
        try checkPut(rc, "mdb_put", table)
    }

    /// Deletes `key` (all its values in a duplicate-sorted table). Returns false when it was absent.
    @discardableResult
    public func delete<Key: ContiguousBytes>(_ table: Table, _ key: Key) throws -> Bool {
        ensureLive()
        let rc: Int32 = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_del(handle, table.dbi, &keyVal, nil)
        }
        if rc == MDB_NOTFOUND { return false }
        if rc == MDB_MAP_FULL { hitMapFull = true }
        try checkPut(rc, "mdb_del", table)
        return true
    }

    /// Deletes one key/value pair of a duplicate-sorted table. Returns false when it was absent.
    @discardableResult
    public func delete<Key: ContiguousBytes, Value: ContiguousBytes>(_ table: Table, _ key: Key, value: Value) throws -> Bool {
        ensureLive()
        let rc: Int32 = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var dataVal = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                return mdb_del(handle, table.dbi, &keyVal, &dataVal)
            }
        }
        if rc == MDB_NOTFOUND { return false }
        if rc == MDB_MAP_FULL { hitMapFull = true }
        try checkPut(rc, "mdb_del", table)
        return true
    }

    /// Empties a table, keeping it open.
    public func removeAll(_ table: Table) throws {
        ensureLive()
        try check(mdb_drop(handle, table.dbi, 0), "mdb_drop", table.name)
    }
}
