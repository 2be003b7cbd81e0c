import CLMDB
import Foundation
import Synchronization

/// One LMDB environment (a folder with `data.mdb` and `lock.mdb`), opened once per process per path.
///
/// Rules this type enforces so that callers cannot get them wrong:
/// - opened with `MDB_NOTLS`, because Swift code hops threads and a reader slot must not be tied to one;
/// - every transaction is closure-scoped and synchronous: a write transaction begins and ends on the calling
///   thread, never across an `await` (LMDB's writer lock belongs to the thread that took it); nesting
///   transactions on one thread is a fatal error instead of a deadlock;
/// - every table is declared when the environment is first opened in the process and opened then, in a
///   transaction that commits (a handle opened in a transaction is valid for others only once it commits, and
///   `mdb_dbi_open` must not race with other transactions); a later `open` of the same path may only name
///   tables that are already open;
/// - the map grows by itself: on `MDB_MAP_FULL` the write is aborted, the map doubled while no transaction of
///   this process is open, and the **whole write closure runs again** (so it must not have side effects outside
///   the transaction); `MDB_MAP_RESIZED` (another process grew it) is adopted the same way;
/// - stale reader slots left by killed processes are cleared at open and whenever the reader table fills up.
///
/// Thread-safety: `@unchecked Sendable` because
/// - `MDB_env*` may be shared by threads once opened with `MDB_NOTLS`, as long as each transaction stays on the
///   thread that runs its closure (which `read`/`write` guarantee);
/// - the handle and the table handles (`tablesByName`) are set in `init` and change only in
///   `replaceDataFile(withScrubbedCopyIn:install:)`, which holds the `ResizeGate` exclusively (no transaction of
///   this process is open, none can begin) and is the only place that closes and reopens the handle;
/// - `mdb_env_set_mapsize` runs only while the `ResizeGate` is held exclusively, i.e. while no transaction of this
///   process is open, as LMDB requires; every transaction holds the gate shared;
/// - the commit counter is atomic, and the process-wide registry is guarded by `registryLock`.
public final class Environment: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Initial map size. The file grows only as pages are used, so a generous size costs nothing on 64-bit.
        public var initialMapSize: Int = 1 << 30
        public var maxReaders: UInt32 = 126
        public var maxTables: UInt32 = 64
        public var tables: [TableSpec] = []
        /// Opened with `MDB_RDONLY`: nothing is ever written, no table is created (a declared table that does
        /// not exist reads as empty), the folder is not created. On a read-only medium, where LMDB cannot use
        /// `lock.mdb`, the environment is opened with `MDB_NOLOCK` (nobody can write there anyway).
        public var readOnly = false
        public init(initialMapSize: Int = 1 << 30, tables: [TableSpec] = [], readOnly: Bool = false) {
            self.initialMapSize = initialMapSize
            self.tables = tables
            self.readOnly = readOnly
        }
    }

    /// The files LMDB creates (`data.mdb`, `lock.mdb`) get this mode: private to their owner.
    public static let fileMode: mode_t = 0o600

    /// Set only by `init` and `replaceDataFile` (under the gate held exclusively).
    var handle: OpaquePointer
    public let path: String
    public let isReadOnly: Bool
    let gate = ResizeGate()
    var tablesByName: [String: Table]
    /// What the environment was opened with, for reopening it on a replaced file.
    let configuration: Configuration
    /// This environment among every one this process opens (`SnapshotIdentity`).
    let serial = Environment.serials.add(1, ordering: .relaxed).newValue
    private static let serials = Atomic<UInt64>(0)
    /// How many times the data file was replaced (`SnapshotIdentity`); changed only under the gate held
    /// exclusively, so a transaction (which holds it shared) reads a stable value.
    var dataFileGeneration: UInt64 = 0
    /// Counts commits, to sweep stale reader slots now and then (a long-lived process outlives its neighbours).
    private let commits = Atomic<Int>(0)
    static let staleReaderSweepInterval = 1024

    // MARK: Opening

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: WeakEnvironment] = [:]

    /// Runs `body` with the resolved path, under the registry's lock, only if this process has no environment
    /// open on `directory` (so that `body` may open and close a probe environment of its own, see `probeMarker`).
    public static func ifNotOpen(_ directory: URL, _ body: (String) throws -> Void) throws {
        let path = directory.standardizedFileURL.resolvingSymlinksInPath().path
        registryLock.lock()
        defer { registryLock.unlock() }
        if registry[path]?.environment == nil { try body(path) }
    }

    /// Opens the environment at `directory` (created if missing, unless read-only), or returns the instance this
    /// process already has open for that path: opening one LMDB file twice in a process breaks its POSIX locks.
    public static func open(directory: URL, configuration: Configuration) throws -> Environment {
        let path = directory.standardizedFileURL.resolvingSymlinksInPath().path
        registryLock.lock()
        defer { registryLock.unlock() }
        if let existing = registry[path]?.environment {
            if existing.isReadOnly && !configuration.readOnly {
                throw LMDBError(code: EACCES, function: "mdb_env_open", context: "\(path) is open read-only in this process")
            }
            let undeclared = configuration.tables.filter { existing.tablesByName[$0.name] == nil }
            guard undeclared.isEmpty else {
                throw LMDBError(
                    code: EINVAL, function: "mdb_dbi_open",
                    context: "tables \(undeclared.map(\.name).joined(separator: ", ")) were not declared when \(path) was first opened in this process (declare every table up front)")
            }
            return existing
        }
        if !configuration.readOnly {
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw LMDBError(code: errno == 0 ? EACCES : errno, function: "mkdir", context: path)
            }
        }
        let environment = try Environment(path: path, configuration: configuration)
        registry[path] = WeakEnvironment(environment: environment)
        return environment
    }

    private init(path: String, configuration: Configuration) throws {
        let env = try Self.openHandle(path: path, configuration: configuration)
        var dead: Int32 = 0
        mdb_reader_check(env, &dead)  // stale reader slots of killed processes
        do {
            tablesByName = try Self.openTables(configuration.tables, in: env, path: path, create: !configuration.readOnly)
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.path = path
        self.isReadOnly = configuration.readOnly
        self.configuration = configuration
    }

    /// `mdb_env_open` with our flags; read-only falls back to `MDB_NOLOCK` when `lock.mdb` cannot be used.
    static func openHandle(path: String, configuration: Configuration) throws -> OpaquePointer {
        let flags = UInt32(MDB_NOTLS) | (configuration.readOnly ? UInt32(MDB_RDONLY) : 0)
        var env: OpaquePointer?
        var (rc, function) = openHandle(&env, path: path, flags: flags, configuration: configuration)
        if rc == EACCES || rc == EROFS, configuration.readOnly {
            (rc, function) = openHandle(&env, path: path, flags: flags | UInt32(MDB_NOLOCK), configuration: configuration)
        }
        try check(rc, function, path)
        guard let env else { throw LMDBError(code: ENOMEM, function: "mdb_env_create") }
        return env
    }

    /// One attempt: the handle on success, else LMDB's code and the failing function (the handle closed).
    static func openHandle(
        _ result: inout OpaquePointer?, path: String, flags: UInt32, configuration: Configuration
    ) -> (Int32, String) {
        var env: OpaquePointer?
        var rc = mdb_env_create(&env)
        guard rc == MDB_SUCCESS, let env else { return (rc == MDB_SUCCESS ? ENOMEM : rc, "mdb_env_create") }
        var function = "mdb_env_set_maxreaders"
        rc = mdb_env_set_maxreaders(env, configuration.maxReaders)
        if rc == MDB_SUCCESS {
            function = "mdb_env_set_maxdbs"
            rc = mdb_env_set_maxdbs(env, configuration.maxTables)
        }
        if rc == MDB_SUCCESS && !configuration.readOnly {
            function = "mdb_env_set_mapsize"
            rc = mdb_env_set_mapsize(env, configuration.initialMapSize)
        }
        if rc == MDB_SUCCESS {
            function = "mdb_env_open"
            rc = mdb_env_open(env, path, flags, Self.fileMode)
        }
        guard rc == MDB_SUCCESS else {
            mdb_env_close(env)
            return (rc, function)
        }
        result = env
        return (rc, function)
    }

    /// What `probeMarker` found.
    public enum MarkerProbe: Sendable, Equatable {
        /// The marker's value.
        case marker([UInt8])
        /// No marker, and nothing else either (an environment whose first initialisation did not commit).
        case empty
        /// No marker, but the environment holds this many named tables or keys: someone else's.
        case foreign(entries: Int)
    }

    /// Reads `key` from `table` in the environment at `path` without writing anything: a read-only environment
    /// of its own, opened and closed here. Call it only while this process has no other environment open on
    /// `path` (inside `ifNotOpen`), as closing it drops the process's locks on the environment's files.
    public static func probeMarker(at path: String, table: String, key: [UInt8]) throws -> MarkerProbe {
        let env = try openHandle(path: path, configuration: Configuration(readOnly: true))
        defer { mdb_env_close(env) }
        var txn: OpaquePointer?
        try beginRaw(&txn, in: env, readOnly: true, path: path)
        guard let txn else { throw LMDBError(code: EINVAL, function: "mdb_txn_begin", context: path) }
        defer { mdb_txn_abort(txn) }
        var dbi = MDB_dbi()
        let rc = mdb_dbi_open(txn, table, 0, &dbi)
        if rc == MDB_SUCCESS {
            var data = MDB_val()
            let found: Int32 = key.withUnsafeBytes { keyBytes in
                var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                return mdb_get(txn, dbi, &keyVal, &data)
            }
            if found == MDB_SUCCESS {
                return .marker(Array(UnsafeRawBufferPointer(start: data.mv_data, count: data.mv_size)))
            }
            if found != MDB_NOTFOUND { try check(found, "mdb_get", "\(table) in \(path)") }
        } else if rc != MDB_NOTFOUND && rc != MDB_INCOMPATIBLE {
            try check(rc, "mdb_dbi_open", "\(table) in \(path)")
        }
        var stat = MDB_stat()
        try check(mdb_stat(txn, MDB_dbi(1), &stat), "mdb_stat", path)  // 1: the main database, holding the table names
        return stat.ms_entries == 0 ? .empty : .foreign(entries: stat.ms_entries)
    }

    deinit {
        mdb_env_close(handle)
    }

    /// Opens the named databases: first without creating (a read transaction, so that a reader process never
    /// waits for the writer lock), then, only if some are missing, creating them in a write transaction.
    /// Runs before the instance is published, so no other transaction of this process can be open.
    /// Without `create`, a table that does not exist gets an absent handle (`Table.isAbsent`): it reads empty.
    static func openTables(_ specs: [TableSpec], in handle: OpaquePointer, path: String, create: Bool) throws -> [String: Table] {
        var tablesByName: [String: Table] = [:]
        for readOnly in create ? [true, false] : [true] {
            let pending = specs.filter { tablesByName[$0.name] == nil }
            if pending.isEmpty { break }
            var txn: OpaquePointer?
            try beginRaw(&txn, in: handle, readOnly: readOnly, path: path)
            guard let txn else { break }
            var opened: [Table] = []
            for spec in pending {
                var dbi = MDB_dbi()
                let flags = spec.flags.rawValue | (readOnly ? 0 : UInt32(MDB_CREATE))
                let rc = mdb_dbi_open(txn, spec.name, flags, &dbi)
                if rc == MDB_NOTFOUND && readOnly { continue }
                if rc != MDB_SUCCESS {
                    mdb_txn_abort(txn)
                    throw LMDBError(code: rc, function: "mdb_dbi_open", context: "table \(spec.name) in \(path)")
                }
                opened.append(Table(name: spec.name, dbi: dbi, flags: spec.flags))
            }
            // Handles opened in a transaction become valid for the environment only once it commits.
            try check(mdb_txn_commit(txn), "mdb_txn_commit", "opening tables in \(path)")
            for table in opened { tablesByName[table.name] = table }
        }
        for spec in specs where tablesByName[spec.name] == nil {
            tablesByName[spec.name] = Table(name: spec.name, dbi: Table.absentDBI, flags: spec.flags)
        }
        return tablesByName
    }

    private static func beginRaw(_ txn: inout OpaquePointer?, in handle: OpaquePointer, readOnly: Bool, path: String) throws {
        while true {
            let rc = mdb_txn_begin(handle, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn)
            if rc == MDB_MAP_RESIZED {
                try check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize", "adopting another process's map size")
                continue
            }
            if rc == MDB_READERS_FULL {
                var dead: Int32 = 0
                mdb_reader_check(handle, &dead)
                if dead > 0 { continue }
            }
            try check(rc, "mdb_txn_begin", path)
            return
        }
    }

    /// Whether a table of this name was declared (and so opened) when the environment was opened.
    public func hasTable(named name: String) -> Bool { tablesByName[name] != nil }

    /// The table opened at start-up under `name`.
    public func table(_ name: String) -> Table {
        guard let table = tablesByName[name] else {
            preconditionFailure("table \(name) was not declared when the environment at \(path) was opened")
        }
        return table
    }

    // MARK: Transactions

    /// Runs `body` in a read-only snapshot. Readers never block writers or each other.
    /// Keep it short: a live snapshot pins every page freed after it (the file grows while it is open).
    public func read<R>(_ body: (ReadTransaction) throws -> R) throws -> R {
        TransactionNesting.enter("read")
        defer { TransactionNesting.leave() }
        gate.lockShared()
        defer { gate.unlock() }
        var txn: OpaquePointer?
        try beginReadWithResizeRetry(&txn)
        guard let txn else { throw LMDBError(code: EINVAL, function: "mdb_txn_begin") }
        let transaction = ReadTransaction(handle: txn, environment: self)
        defer {
            transaction.invalidate()
            mdb_txn_abort(txn)
        }
        return try body(transaction)
    }

    private func beginReadWithResizeRetry(_ txn: inout OpaquePointer?) throws {
        let rc = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
        if rc == MDB_SUCCESS { return }
        if rc == MDB_MAP_RESIZED || rc == MDB_READERS_FULL {
            // Needs the gate exclusive (set_mapsize) — drop ours, adopt, and come back.
            gate.unlock()
            if rc == MDB_MAP_RESIZED { try adoptMapSize() } else { clearStaleReaders() }
            gate.lockShared()
            try check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin", path)
            return
        }
        try check(rc, "mdb_txn_begin", path)
    }

    /// Runs `body` in the single write transaction (writers serialize across threads and processes) and commits
    /// when it returns; aborts when it throws. The commit is durable (fsync) before this returns.
    ///
    /// `body` may run more than once (after the map grew), so it must only act on the transaction.
    public func write<R>(_ body: (WriteTransaction) throws -> R) throws -> R {
        TransactionNesting.enter("write")
        defer { TransactionNesting.leave() }
        while true {
            gate.lockShared()
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, 0, &txn)
            if rc == MDB_MAP_RESIZED {
                gate.unlock()
                try adoptMapSize()
                continue
            }
            guard rc == MDB_SUCCESS, let txn else {
                gate.unlock()
                throw LMDBError(code: rc, function: "mdb_txn_begin", context: "write in \(path)")
            }
            let transaction = WriteTransaction(handle: txn, environment: self)
            let result: R
            do {
                result = try body(transaction)
            } catch {
                transaction.invalidate()
                mdb_txn_abort(txn)
                gate.unlock()
                if transaction.hitMapFull {
                    try grow()
                    continue
                }
                throw error
            }
            transaction.invalidate()
            // mdb_txn_commit frees the transaction even when it fails: never abort after it.
            let commit = mdb_txn_commit(txn)
            gate.unlock()
            if commit == MDB_MAP_FULL {
                try grow()
                continue
            }
            try check(commit, "mdb_txn_commit", path)
            if commits.add(1, ordering: .relaxed).newValue % Self.staleReaderSweepInterval == 0 {
                clearStaleReaders()
            }
            return result
        }
    }

    // MARK: Map size

    public struct Usage: Sendable {
        public let mapSize: Int
        public let usedBytes: Int
        public let readers: UInt32
    }

    public func usage() -> Usage {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(handle, &info)
        mdb_env_stat(handle, &stat)
        return Usage(mapSize: info.me_mapsize, usedBytes: (info.me_last_pgno + 1) * Int(stat.ms_psize), readers: info.me_numreaders)
    }

    /// Doubles the map. Waits until no transaction of this process is open.
    private func grow() throws {
        gate.lockExclusive()
        defer { gate.unlock() }
        let current = usage().mapSize
        try check(mdb_env_set_mapsize(handle, current * 2), "mdb_env_set_mapsize", "growing the map of \(path) to \(current * 2) bytes")
    }

    private func adoptMapSize() throws {
        gate.lockExclusive()
        defer { gate.unlock() }
        try check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize", "adopting another process's map size")
    }

    // MARK: Maintenance

    /// Frees reader slots of processes that died holding a read transaction; returns how many.
    @discardableResult
    public func clearStaleReaders() -> Int {
        var dead: Int32 = 0
        mdb_reader_check(handle, &dead)
        return Int(dead)
    }

    /// A consistent, compacted copy of the whole environment into `directory`, which must be empty or absent:
    /// the folder is made 0700 and its `data.mdb` created 0600 before a byte is written, whatever the umask.
    /// Runs in a read snapshot: writers keep going meanwhile.
    public func copy(to directory: URL, compact: Bool = true) throws {
        let target = directory.path
        let fm = FileManager.default
        if fm.fileExists(atPath: target) {
            let contents = (try? fm.contentsOfDirectory(atPath: target)) ?? []
            guard contents.isEmpty else {
                throw LMDBError(code: EEXIST, function: "mdb_env_copyfd2", context: "backup folder \(target) is not empty")
            }
        } else {
            do {
                try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
            } catch {
                throw LMDBError(code: EACCES, function: "mkdir", context: target)
            }
        }
        guard chmod(target, 0o700) == 0 else { throw LMDBError(code: errno, function: "chmod", context: target) }
        let file = target + "/data.mdb"
        let descriptor = Foundation.open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, Self.fileMode)
        guard descriptor >= 0 else { throw LMDBError(code: errno, function: "open", context: file) }
        defer { close(descriptor) }
        guard fchmod(descriptor, Self.fileMode) == 0 else { throw LMDBError(code: errno, function: "fchmod", context: file) }
        gate.lockShared()
        defer { gate.unlock() }
        try check(mdb_env_copyfd2(handle, descriptor, compact ? UInt32(MDB_CP_COMPACT) : 0), "mdb_env_copyfd2", "backup into \(target)")
        guard fsync(descriptor) == 0 else { throw LMDBError(code: errno, function: "fsync", context: file) }
    }

    /// The last key of `table` in the environment at `path`, read through a read-only, lock-free environment of
    /// its own (for a copy nobody else uses yet, e.g. a fresh backup); nil when the table is empty or absent.
    public static func lastKey(in table: String, at path: String) throws -> [UInt8]? {
        var configuration = Configuration(readOnly: true)
        configuration.maxTables = 8
        var env: OpaquePointer?
        let (rc, function) = openHandle(&env, path: path, flags: UInt32(MDB_NOTLS | MDB_RDONLY | MDB_NOLOCK), configuration: configuration)
        try check(rc, function, path)
        guard let env else { return nil }
        defer { mdb_env_close(env) }
        var txn: OpaquePointer?
        try beginRaw(&txn, in: env, readOnly: true, path: path)
        guard let txn else { return nil }
        defer { mdb_txn_abort(txn) }
        var dbi = MDB_dbi()
        let opened = mdb_dbi_open(txn, table, 0, &dbi)
        if opened == MDB_NOTFOUND { return nil }
        try check(opened, "mdb_dbi_open", "\(table) in \(path)")
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open", table)
        defer { mdb_cursor_close(cursor) }
        var key = MDB_val()
        var value = MDB_val()
        let found = mdb_cursor_get(cursor, &key, &value, MDB_LAST)
        if found == MDB_NOTFOUND { return nil }
        try check(found, "mdb_cursor_get", table)
        return Array(UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size))
    }
}

private struct WeakEnvironment {
    weak var environment: Environment?
}
