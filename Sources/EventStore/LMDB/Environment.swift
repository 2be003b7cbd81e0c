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
/// - the table handles (`tablesByName`) are set once in `init` and never change afterwards;
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
        public init(initialMapSize: Int = 1 << 30, tables: [TableSpec] = []) {
            self.initialMapSize = initialMapSize
            self.tables = tables
        }
    }

    let handle: OpaquePointer
    public let path: String
    private let gate = ResizeGate()
    private let tablesByName: [String: Table]
    /// Counts commits, to sweep stale reader slots now and then (a long-lived process outlives its neighbours).
    private let commits = Atomic<Int>(0)
    static let staleReaderSweepInterval = 1024

    // MARK: Opening

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: WeakEnvironment] = [:]

    /// Opens the environment at `directory` (created if missing), or returns the instance this process already
    /// has open for that path: opening one LMDB file twice in a process breaks its POSIX locks.
    public static func open(directory: URL, configuration: Configuration) throws -> Environment {
        let path = directory.standardizedFileURL.resolvingSymlinksInPath().path
        registryLock.lock()
        defer { registryLock.unlock() }
        if let existing = registry[path]?.environment {
            let undeclared = configuration.tables.filter { existing.tablesByName[$0.name] == nil }
            guard undeclared.isEmpty else {
                throw LMDBError(
                    code: EINVAL, function: "mdb_dbi_open",
                    context: "tables \(undeclared.map(\.name).joined(separator: ", ")) were not declared when \(path) was first opened in this process (declare every table up front)")
            }
            return existing
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LMDBError(code: errno == 0 ? EACCES : errno, function: "mkdir", context: path)
        }
        let environment = try Environment(path: path, configuration: configuration)
        registry[path] = WeakEnvironment(environment: environment)
        return environment
    }

    private init(path: String, configuration: Configuration) throws {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: ENOMEM, function: "mdb_env_create") }
        do {
            try check(mdb_env_set_maxreaders(env, configuration.maxReaders), "mdb_env_set_maxreaders")
            try check(mdb_env_set_maxdbs(env, configuration.maxTables), "mdb_env_set_maxdbs")
            try check(mdb_env_set_mapsize(env, configuration.initialMapSize), "mdb_env_set_mapsize")
            try check(mdb_env_open(env, path, UInt32(MDB_NOTLS), 0o644), "mdb_env_open", path)
        } catch {
            mdb_env_close(env)
            throw error
        }
        var dead: Int32 = 0
        mdb_reader_check(env, &dead)  // stale reader slots of killed processes
        do {
            tablesByName = try Self.openTables(configuration.tables, in: env, path: path)
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.path = path
    }

    deinit {
        mdb_env_close(handle)
    }

    /// Opens the named databases: first without creating (a read transaction, so that a reader process never
    /// waits for the writer lock), then, only if some are missing, creating them in a write transaction.
    /// Runs before the instance is published, so no other transaction of this process can be open.
    private static func openTables(_ specs: [TableSpec], in handle: OpaquePointer, path: String) throws -> [String: Table] {
        var tablesByName: [String: Table] = [:]
        for readOnly in [true, false] {
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

    /// A consistent, compacted copy of the whole environment into `directory`, which must be empty or absent.
    /// Runs in a read snapshot: writers keep going meanwhile.
    public func copy(to directory: URL, compact: Bool = true) throws {
        let target = directory.path
        let fm = FileManager.default
        if fm.fileExists(atPath: target) {
            let contents = (try? fm.contentsOfDirectory(atPath: target)) ?? []
            guard contents.isEmpty else {
                throw LMDBError(code: EEXIST, function: "mdb_env_copy2", context: "backup folder \(target) is not empty")
            }
        } else {
            do {
                try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
            } catch {
                throw LMDBError(code: EACCES, function: "mkdir", context: target)
            }
        }
        gate.lockShared()
        defer { gate.unlock() }
        try check(mdb_env_copy2(handle, target, compact ? UInt32(MDB_CP_COMPACT) : 0), "mdb_env_copy2", "backup into \(target)")
    }
}

private struct WeakEnvironment {
    weak var environment: Environment?
}
