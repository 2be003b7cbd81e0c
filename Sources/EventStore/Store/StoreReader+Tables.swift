import Foundation

/// The tables that the layers above keep beside the log (projections, request log, leases), reached through
/// the store's reader and writer so that nothing above the store touches an LMDB transaction.
///
/// Declare each table once as a `TableSpec` constant and pass it to `EventStore(projections:additionalTables:)`:
/// every table is opened when the store opens. In a transaction, resolve a declaration to its `Table` handle once
/// (`reader.table(spec)`, a dictionary look-up) and use the handle for every access in that transaction.
extension StoreReader {
    /// The handle of a table declared when the store was opened (a programming error otherwise).
    @inline(__always)
    public func table(_ declaration: TableSpec) -> Table { transaction.table(declaration.name) }

    /// Calls `body` with the value stored under `key`, or returns nil when there is none.
    /// The buffer points into the map and is valid only inside `body`: copy what you keep.
    @inline(__always)
    public func get<Key: ContiguousBytes, R>(
        _ table: Table, _ key: Key, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        try transaction.get(table, key, body)
    }

    /// A copy of the value stored under `key`.
    public func value<Key: ContiguousBytes>(_ table: Table, _ key: Key) throws -> [UInt8]? {
        try transaction.value(table, key)
    }

    public func contains<Key: ContiguousBytes>(_ table: Table, _ key: Key) throws -> Bool {
        try transaction.contains(table, key)
    }

    /// Number of entries in a table.
    public func count(_ table: Table) throws -> Int {
        try transaction.count(table)
    }

    /// Runs `body` with a cursor over `table` (a writing cursor in a `StoreWriter`); closed when `body` returns.
    @inline(__always)
    public func withCursor<R>(_ table: Table, _ body: (Cursor) throws -> R) throws -> R {
        try transaction.withCursor(table, body)
    }
}

extension StoreWriter {
    @inline(__always)
    public func put<Key: ContiguousBytes, Value: ContiguousBytes>(
        _ table: Table, _ key: Key, _ value: Value, options: WriteTransaction.PutOptions = []
    ) throws {
        try writeTransaction.put(table, key, value, options: options)
    }

    /// Deletes `key` (all its values in a duplicate-sorted table). Returns false when it was absent.
    @discardableResult
    public func delete<Key: ContiguousBytes>(_ table: Table, _ key: Key) throws -> Bool {
        try writeTransaction.delete(table, key)
    }

    /// Deletes one key/value pair of a duplicate-sorted table. Returns false when it was absent.
    @discardableResult
    public func delete<Key: ContiguousBytes, Value: ContiguousBytes>(_ table: Table, _ key: Key, value: Value) throws -> Bool {
        try writeTransaction.delete(table, key, value: value)
    }

    /// Empties a table, keeping it open.
    public func removeAll(_ table: Table) throws {
        try writeTransaction.removeAll(table)
    }
}
