import CLMDB
import Foundation

extension Environment {
    /// A copy of every table, record by record, into a new environment in `directory` (absent or empty), made
    /// durable before it returns. Unlike `mdb_env_copy2` (even with `MDB_CP_COMPACT`, which copies whole pages),
    /// the copy is written into fresh zeroed pages in key order, so nothing that was deleted — a value whose
    /// bytes LMDB leaves in the free part of a live page, or in a free page — reaches it. Runs in one read
    /// snapshot of this environment (writers may go on) and one write transaction of the new one.
    public func scrubbedCopy(to directory: URL) throws {
        try scrubbedCopy(to: directory, takingGate: true)
    }

    /// `takingGate` false: the caller holds the gate exclusively already (`replaceDataFile`).
    func scrubbedCopy(to directory: URL, takingGate: Bool) throws {
        let target = directory.path
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        guard existing.isEmpty else {
            throw LMDBError(code: EEXIST, function: "scrubbed copy", context: "folder \(target) is not empty")
        }
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LMDBError(code: EACCES, function: "mkdir", context: target)
        }
        guard chmod(target, 0o700) == 0 else { throw LMDBError(code: errno, function: "chmod", context: target) }
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        var configuration = Configuration(initialMapSize: max(info.me_mapsize, 1 << 30))
        configuration.maxTables = 1024
        var created: OpaquePointer?
        let (rc, function) = Self.openHandle(
            &created, path: target, flags: UInt32(MDB_NOTLS | MDB_NOLOCK), configuration: configuration)
        try check(rc, function, target)
        guard let copy = created else { throw LMDBError(code: ENOMEM, function: "mdb_env_create") }
        defer { mdb_env_close(copy) }
        if takingGate { gate.lockShared() }
        defer { if takingGate { gate.unlock() } }
        var source: OpaquePointer?
        try check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &source), "mdb_txn_begin", path)
        defer { mdb_txn_abort(source) }
        var destination: OpaquePointer?
        try check(mdb_txn_begin(copy, nil, 0, &destination), "mdb_txn_begin", target)
        do {
            for name in try Self.tableNames(in: source) {
                try Self.copyTable(name, from: source, to: destination)
            }
        } catch {
            mdb_txn_abort(destination)
            throw error
        }
        try check(mdb_txn_commit(destination), "mdb_txn_commit", "scrubbed copy into \(target)")
        try check(mdb_env_sync(copy, 1), "mdb_env_sync", target)
        chmod(target + "/data.mdb", Self.fileMode)
    }

    /// The names of the named tables (the keys of LMDB's main table).
    private static func tableNames(in txn: OpaquePointer?) throws -> [String] {
        var main = MDB_dbi()
        try check(mdb_dbi_open(txn, nil, 0, &main), "mdb_dbi_open", "main table")
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, main, &cursor), "mdb_cursor_open", "main table")
        defer { mdb_cursor_close(cursor) }
        var names: [String] = []
        var key = MDB_val()
        var value = MDB_val()
        var rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
        while rc == MDB_SUCCESS {
            names.append(String(decoding: UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size), as: UTF8.self))
            rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
        }
        guard rc == MDB_NOTFOUND else { throw LMDBError(code: rc, function: "mdb_cursor_get", context: "main table") }
        return names
    }

    private static func copyTable(_ name: String, from source: OpaquePointer?, to destination: OpaquePointer?) throws {
        var from = MDB_dbi()
        try check(mdb_dbi_open(source, name, 0, &from), "mdb_dbi_open", name)
        var flags: UInt32 = 0
        try check(mdb_dbi_flags(source, from, &flags), "mdb_dbi_flags", name)
        let isDuplicateSorted = flags & UInt32(MDB_DUPSORT) != 0
        var into = MDB_dbi()
        try check(mdb_dbi_open(destination, name, flags | UInt32(MDB_CREATE), &into), "mdb_dbi_open", name)
        var reading: OpaquePointer?
        try check(mdb_cursor_open(source, from, &reading), "mdb_cursor_open", name)
        defer { mdb_cursor_close(reading) }
        var writing: OpaquePointer?
        try check(mdb_cursor_open(destination, into, &writing), "mdb_cursor_open", name)
        defer { mdb_cursor_close(writing) }
        let append = UInt32(isDuplicateSorted ? MDB_APPENDDUP : MDB_APPEND)
        var key = MDB_val()
        var value = MDB_val()
        var rc = mdb_cursor_get(reading, &key, &value, MDB_FIRST)
        while rc == MDB_SUCCESS {
            try check(mdb_cursor_put(writing, &key, &value, append), "mdb_cursor_put", "copying \(name)")
            rc = mdb_cursor_get(reading, &key, &value, MDB_NEXT)
        }
        guard rc == MDB_NOTFOUND else { throw LMDBError(code: rc, function: "mdb_cursor_get", context: name) }
    }
}
