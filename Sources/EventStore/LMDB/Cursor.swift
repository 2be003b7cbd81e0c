import CLMDB
import Foundation

/// A position in a table, valid only inside the `withCursor` closure that created it.
///
/// Movement methods return whether the cursor now sits on an entry; `key` and `value` then point into the map
/// and stay valid until the next movement or write (copy what you keep).
public final class Cursor {
    /// nil over an absent table (`Table.isAbsent`): every move finds nothing.
    let handle: OpaquePointer?
    unowned let transaction: ReadTransaction
    let table: Table
    /// The current key and value (two `MDB_val`s LMDB fills in), and whether the cursor is live and on an
    /// entry, in memory of their own: a class's stored `var` costs a dynamic exclusivity check on every access
    /// (passing one to C as `&` too), and a searched page steps a cursor over up to a million keys (the checks
    /// were an eighth of its time).
    private let current = UnsafeMutablePointer<MDB_val>.allocate(capacity: 2)
    private var currentKey: UnsafeMutablePointer<MDB_val> { current }
    private var currentValue: UnsafeMutablePointer<MDB_val> { current + 1 }
    private struct Flags {
        var isLive = true
        var isPositioned = false
    }
    private let flags = UnsafeMutablePointer<Flags>.allocate(capacity: 1)
    private var isLive: Bool {
        get { flags.pointee.isLive }
        set { flags.pointee.isLive = newValue }
    }
    public private(set) var isPositioned: Bool {
        get { flags.pointee.isPositioned }
        set { flags.pointee.isPositioned = newValue }
    }

    /// Whether the transaction is a write transaction (decided once: bulk loads put millions of times).
    private let isWritable: Bool

    init(handle: OpaquePointer?, transaction: ReadTransaction, table: Table) {
        self.handle = handle
        self.transaction = transaction
        self.table = table
        isWritable = transaction is WriteTransaction
        current.initialize(repeating: MDB_val(), count: 2)
        flags.initialize(to: Flags())
    }

    deinit {
        current.deallocate()
        flags.deallocate()
    }

    func invalidate() { isLive = false }

    public var key: UnsafeRawBufferPointer {
        precondition(isLive && isPositioned, "cursor is not positioned on an entry")
        return UnsafeRawBufferPointer(start: currentKey.pointee.mv_data, count: currentKey.pointee.mv_size)
    }

    public var value: UnsafeRawBufferPointer {
        precondition(isLive && isPositioned, "cursor is not positioned on an entry")
        return UnsafeRawBufferPointer(start: currentValue.pointee.mv_data, count: currentValue.pointee.mv_size)
    }

    private func move(_ op: MDB_cursor_op) throws -> Bool {
        precondition(isLive, "a cursor was used after its closure returned")
        guard let handle else {
            isPositioned = false
            return false
        }
        let rc = mdb_cursor_get(handle, currentKey, currentValue, op)
        if rc == MDB_NOTFOUND {
            isPositioned = false
            return false
        }
        try check(rc, "mdb_cursor_get", table.name)
        isPositioned = true
        return true
    }

    @discardableResult public func first() throws -> Bool { try move(MDB_FIRST) }
    @discardableResult public func last() throws -> Bool { try move(MDB_LAST) }
    @discardableResult public func next() throws -> Bool { try move(MDB_NEXT) }
    @discardableResult public func previous() throws -> Bool { try move(MDB_PREV) }
    /// Next value of the same key (duplicate-sorted tables).
    @discardableResult public func nextDuplicate() throws -> Bool { try move(MDB_NEXT_DUP) }

    /// Positions at the first entry whose key is >= `key`.
    @discardableResult
    public func seek<Key: ContiguousBytes>(atOrAfter key: Key) throws -> Bool {
        try seek(key, MDB_SET_RANGE)
    }

    /// Positions at exactly `key`.
    @discardableResult
    public func seek<Key: ContiguousBytes>(exactly key: Key) throws -> Bool {
        try seek(key, MDB_SET_KEY)
    }

    /// Positions at the last entry whose key is <= `key`.
    @discardableResult
    public func seek<Key: ContiguousBytes>(atOrBefore key: Key) throws -> Bool {
        if try seek(key, MDB_SET_RANGE) {
            let equal = key.withUnsafeBytes { $0.elementsEqual(self.key) }
            return equal ? true : try previous()
        }
        return try last()
    }

    private func seek<Key: ContiguousBytes>(_ key: Key, _ op: MDB_cursor_op) throws -> Bool {
        precondition(isLive, "a cursor was used after its closure returned")
        guard let handle else {
            isPositioned = false
            return false
        }
        let rc: Int32 = key.withUnsafeBytes { keyBytes in
            currentKey.pointee = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_cursor_get(handle, currentKey, currentValue, op)
        }
        if rc == MDB_NOTFOUND {
            isPositioned = false
            return false
        }
        try check(rc, "mdb_cursor_get", table.name)
        // SET_RANGE and SET_KEY replace `currentKey` with the map's copy, so no caller pointer is kept.
        isPositioned = true
        return true
    }

    /// Number of values under the current key (duplicate-sorted tables).
    public func duplicateCount() throws -> Int {
        var count = 0
        try check(mdb_cursor_count(handle, &count), "mdb_cursor_count", table.name)
        return count
    }

    /// Writes through the cursor; with `.append` this is LMDB's fastest insert path for ascending keys.
    public func put<Key: ContiguousBytes, Value: ContiguousBytes>(
        _ key: Key, _ value: Value, options: WriteTransaction.PutOptions = []
    ) throws {
        precondition(isLive, "a cursor was used after its closure returned")
        guard let writer = transaction as? WriteTransaction else {
            preconditionFailure("cursor put on a read-only transaction")
        }
        let rc: Int32 = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var dataVal = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                return mdb_cursor_put(handle, &keyVal, &dataVal, options.rawValue)
            }
        }
        isPositioned = false
        if rc == MDB_MAP_FULL { writer.hitMapFull = true }
        try check(rc, "mdb_cursor_put", table.name)
    }

    /// `put(_:_:options:)` for bytes the caller already holds: no generic wrapper, for bulk loads of millions
    /// of entries (with `.append`, LMDB checks the key against the last one and fills pages left to right).
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, options: WriteTransaction.PutOptions = []) throws {
        precondition(isLive && isWritable, "a cursor was used after its closure returned, or put on a read-only transaction")
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataVal = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        let rc = mdb_cursor_put(handle, &keyVal, &dataVal, options.rawValue)
        isPositioned = false
        if rc == MDB_SUCCESS { return }
        if rc == MDB_MAP_FULL, let writer = transaction as? WriteTransaction { writer.hitMapFull = true }
        try check(rc, "mdb_cursor_put", table.name)
    }
}
