import CompactCodec
import Foundation

/// How a store is opened — the one place that decides between a new, an existing, a damaged, a foreign and a
/// read-only store:
/// - the folder is judged first (`StoreFolder.inspect`): only an absent or empty folder becomes a new store, and
///   a `data.mdb` whose size disagrees with its meta pages is refused before LMDB maps it;
/// - the folder must belong to the user running the command and be writable by nobody else;
/// - reading opens the environment `MDB_RDONLY` and writes nothing, not even a table or the format marker;
/// - writing takes the writer lock, judges the folder again under it (another process may just have created
///   the store), and, for an existing environment, first reads the format marker through a read-only probe: an
///   environment without customer-es's marker that holds anything is refused without a single write;
/// - the format marker (`meta` / `format-version`) is written only into a new store, and a newer one is refused.
struct StoreOpening {
    static let formatKey = Array("format-version".utf8)

    let directory: URL
    let options: EventStore.Options
    let tables: [TableSpec]

    struct Opened {
        let environment: Environment
        let writerLock: WriterLock?
        let created: Bool
    }

    func open(_ access: EventStore.Access) throws -> Opened {
        let folder = StoreFolder(directory)
        switch access {
        case .readOnly:
            // A writer creating the store right now leaves, for a few milliseconds, what looks damaged or foreign
            // (`lock.mdb` before `data.mdb`, tables before the marker), holding the writer lock all along: a
            // reader lets that pass (and looks once more, in case the writer just finished) before it judges.
            let deadline = Date().addingTimeInterval(5)
            var lookedAgain = false
            while true {
                do {
                    return try openForReading(folder)
                } catch let error as EventStoreError where error.mayBeACreationInProgress && folder.hasWriterLockFile {
                    if folder.writerIsActive && Date() < deadline {
                        usleep(10_000)
                    } else if !lookedAgain {
                        lookedAgain = true
                    } else {
                        throw error
                    }
                }
            }
        case .readWrite:
            return try openForWriting(folder)
        }
    }

    private func openForReading(_ folder: StoreFolder) throws -> Opened {
        guard try folder.inspect() == .existing else { throw EventStoreError.noStore(path: folder.path) }
        try StoreFolder.checkPrivate(folder.path, isFolder: true)
        let environment = try lmdb(folder) {
            try Environment.open(directory: directory, configuration: .init(tables: tables, readOnly: true))
        }
        guard try checkMarker(in: environment, folder: folder) else {
            // An environment whose first initialisation never committed: nothing to read yet.
            throw EventStoreError.noStore(path: folder.path)
        }
        return Opened(environment: environment, writerLock: nil, created: false)
    }

    private func openForWriting(_ folder: StoreFolder) throws -> Opened {
        let before: StoreFolder.State
        var judgeUnderLock = false
        do {
            before = try folder.inspect()
        } catch let error as EventStoreError where error.mayBeACreationInProgress && folder.hasWriterLockFile {
            // Another writer may be creating the store: judged under the writer lock, which that writer holds
            // until the store is complete.
            before = .empty
            judgeUnderLock = true
        }
        if before == .absent { try folder.create() }
        try StoreFolder.checkPrivate(folder.path, isFolder: true)
        // Before anything is written into the folder, not even the writer lock: is it ours?
        if before == .existing {
            do {
                try Environment.ifNotOpen(directory, Self.refuseForeign)
            } catch EventStoreError.notAStore(_, _) where folder.hasWriterLockFile {
                // A customer-es writer may be creating this store right now: its tables commit before its
                // marker, both under the writer lock. Only another program's environment is still unmarked
                // once that lock is ours.
                judgeUnderLock = true
            }
        }
        let lock = try WriterLock.forFolder(folder.path)
        // An existing store with its marker opens without the writer lock: opening it writes nothing (its tables
        // exist; a table a newer build adds is created in an LMDB write transaction, which LMDB's own writer
        // mutex serialises). Taking the lock here would make every command wait for the writer twice behind a
        // long job such as a rebuild, once to open and once to write.
        if before == .existing && !judgeUnderLock {
            let environment = try openEnvironment(folder)
            if try checkMarker(in: environment, folder: folder) {
                folder.tightenModes()
                return Opened(environment: environment, writerLock: lock, created: false)
            }
            // No marker yet: a store whose creation has not committed, judged below under the lock.
        }
        try lock.acquire(timeout: options.lockTimeout, onWaiting: options.onWaitingForWriter)
        defer { lock.release() }
        // Judged again under the lock: another customer-es may have created the store meanwhile (then it
        // is ours, and it was complete before that writer let go of the lock).
        let state = try folder.inspect()
        if judgeUnderLock && state == .existing { try Environment.ifNotOpen(directory, Self.refuseForeign) }
        let environment = try openEnvironment(folder)
        var created = state != .existing
        if try !checkMarker(in: environment, folder: folder) {
            try lmdb(folder) {
                try environment.write { transaction in
                    let events = transaction.table(StoreTables.events.name)
                    guard try transaction.count(events) == 0 else {
                        throw EventStoreError.notAStore(path: folder.path, reason: "it holds events but no format version")
                    }
                    try transaction.put(
                        transaction.table(StoreTables.meta.name), Self.formatKey, BigEndianUInt64(UInt64(EventStore.formatVersion)))
                }
            }
            created = true
        }
        folder.tightenModes()
        return Opened(environment: environment, writerLock: lock, created: created)
    }

    /// The read-write environment with every table of this store (created when missing).
    private func openEnvironment(_ folder: StoreFolder) throws -> Environment {
        try lmdb(folder) {
            try Environment.open(directory: directory, configuration: .init(initialMapSize: options.initialMapSize, tables: tables))
        }
    }

    /// Before the read-write open of an existing environment: a read-only look at its marker.
    private static func refuseForeign(at path: String) throws {
        let probe: Environment.MarkerProbe
        do {
            probe = try Environment.probeMarker(at: path, table: StoreTables.meta.name, key: formatKey)
        } catch let error as LMDBError {
            throw storeError(error, path: path)
        }
        if case .foreign(let entries) = probe {
            throw EventStoreError.notAStore(
                path: path,
                reason: "it is an LMDB environment without customer-es's format marker, holding \(entries) tables or keys of another program; nothing was written")
        }
    }

    /// True when the marker is there (and not newer than this build); false when the environment is empty.
    /// Throws for a newer format, and for a foreign environment (opened read-only: nothing to protect yet).
    private func checkMarker(in environment: Environment, folder: StoreFolder) throws -> Bool {
        let found: (UInt32?, Int) = try lmdb(folder) {
            try environment.read { transaction in
                let marker = try transaction.get(transaction.table(StoreTables.meta.name), Self.formatKey) {
                    UInt32(truncatingIfNeeded: readBigEndianUInt64($0))
                }
                return (marker, marker == nil ? try transaction.namedTableCount() : 0)
            }
        }
        if let version = found.0 {
            guard version <= EventStore.formatVersion else {
                throw EventStoreError.unsupportedFormat(found: version, supported: EventStore.formatVersion, path: folder.path)
            }
            return true
        }
        // A writable environment of ours has just created its declared tables; only a read-only one can tell
        // "someone else's tables" from "nothing yet" here.
        if environment.isReadOnly && found.1 > 0 {
            throw EventStoreError.notAStore(
                path: folder.path, reason: "it is an LMDB environment without customer-es's format marker (\(found.1) tables or keys of another program)")
        }
        return false
    }

    private func lmdb<R>(_ folder: StoreFolder, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as LMDBError {
            throw Self.storeError(error, path: folder.path)
        }
    }

    /// An LMDB failure as the store reports it: a full device (ENOSPC, or EIO — LMDB's report of a short write —
    /// while the device is nearly full) says so with the free space.
    static func storeError(_ error: LMDBError, path: String) -> EventStoreError {
        let code = error.code.rawValue
        if code == ENOSPC || code == EIO {
            var info = statvfs()
            if statvfs(path, &info) == 0 {
                let free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
                if code == ENOSPC || free < 64 << 20 { return .noSpace(path: path, freeBytes: free) }
            }
        }
        return .storage(error)
    }
}
