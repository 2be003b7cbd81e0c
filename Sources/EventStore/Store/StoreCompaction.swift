import Foundation

/// Compaction: the store's `data.mdb` replaced by a record-by-record copy (`Environment.scrubbedCopy`), so that
/// bytes of deleted records — erased personal data — are gone from the file, not just unreachable.
///
/// Crash-safe by its order: the marker `compaction-pending` is created (durably) before the erasure commits;
/// the copy is written and synced in `<store>/.compact-<pid>/`, renamed over `data.mdb` (atomic), the folder
/// synced, and only then is the marker removed. kill -9 at any point leaves either the old file or the new one,
/// and the marker when the work may not be done, so it is simply done again.
///
/// It needs the store to itself: other processes map the old file, and would go on reading (and writing!) it
/// after the swap. Every process holds `OpenLock` shared while the store is open; compaction takes it
/// exclusively without waiting and refuses when another process has the store open. `compact()` then retires
/// this process's environment, and others wait until it exits (a command about to end); `compactKeepingOpen()`
/// swaps the file under the open environment and goes on (a long-running `serve`), then lets others open it.
extension EventStore {
    public static let compactionMarkerFile = "compaction-pending"

    var compactionMarkerPath: String { directory.appendingPathComponent(Self.compactionMarkerFile).path }

    /// Whether erased data may still sit in free space of `data.mdb` (a compaction is due).
    public var isCompactionPending: Bool { FileManager.default.fileExists(atPath: compactionMarkerPath) }

    /// Records, durably, that a compaction is due: call inside the write transaction that deletes what must not
    /// survive, before it commits.
    public func markCompactionPending() throws {
        let path = compactionMarkerPath
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw EventStoreError.fileSystem(operation: "create", path: path, errno: errno) }
        fsync(descriptor)
        close(descriptor)
        try Self.syncFolder(directory.path)
    }

    /// Replaces `data.mdb` by a scrubbed copy and retires this process's environment (see the type's comment).
    ///
    /// - Throws: `.inUseByAnotherProcess` (nothing changed) when another process has the store open.
    public func compact() throws {
        guard let writerLock, let openLock else { throw EventStoreError.readOnly(path: directory.path) }
        try writerLock.acquire(timeout: options.lockTimeout, onWaiting: options.onWaitingForWriter)
        defer { writerLock.release() }
        guard openLock.tryExclusive() else { throw EventStoreError.inUseByAnotherProcess(path: directory.path) }
        let folder = directory.path
        let fm = FileManager.default
        let temporary = freshCompactionFolder()
        do {
            try environment.scrubbedCopy(to: URL(fileURLWithPath: temporary))
        } catch let error as LMDBError {
            try? fm.removeItem(atPath: temporary)
            throw StoreOpening.storeError(error, path: folder)
        }
        _ = Self.retiredPaths.withLock { $0.insert(environment.path) }
        guard rename(temporary + "/data.mdb", folder + "/" + StoreFolder.dataFile) == 0 else {
            throw EventStoreError.fileSystem(operation: "rename", path: temporary + "/data.mdb", errno: errno)
        }
        try Self.syncFolder(folder)
        try? fm.removeItem(atPath: temporary)
        if unlink(compactionMarkerPath) == 0 { try Self.syncFolder(folder) }
    }

    /// The same compaction for a process that goes on using the store: the environment drains this process's
    /// transactions, swaps the file and reopens it (`Environment.replaceDataFile`); transactions asked for
    /// meanwhile wait instead of failing. Afterwards the open lock is shared again, so other processes may open
    /// the store.
    ///
    /// - Throws: `.inUseByAnotherProcess` (nothing changed) when another process has the store open.
    public func compactKeepingOpen() throws {
        guard let writerLock, let openLock else { throw EventStoreError.readOnly(path: directory.path) }
        try writerLock.acquire(timeout: options.lockTimeout, onWaiting: options.onWaitingForWriter)
        defer { writerLock.release() }
        try ensureNotRetired()
        guard openLock.tryExclusive() else { throw EventStoreError.inUseByAnotherProcess(path: directory.path) }
        defer { openLock.releaseExclusive() }
        let folder = directory.path
        let fm = FileManager.default
        let temporary = freshCompactionFolder()
        do {
            try environment.replaceDataFile(withScrubbedCopyIn: URL(fileURLWithPath: temporary)) {
                guard rename(temporary + "/data.mdb", folder + "/" + StoreFolder.dataFile) == 0 else {
                    throw EventStoreError.fileSystem(operation: "rename", path: temporary + "/data.mdb", errno: errno)
                }
                try Self.syncFolder(folder)
            }
        } catch let error as LMDBError {
            try? fm.removeItem(atPath: temporary)
            throw StoreOpening.storeError(error, path: folder)
        }
        try? fm.removeItem(atPath: temporary)
        if unlink(compactionMarkerPath) == 0 { try Self.syncFolder(folder) }
    }

    /// `<store>/.compact-<pid>`, after removing what an interrupted compaction (of any process) left behind.
    private func freshCompactionFolder() -> String {
        let folder = directory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".compact-") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        return folder + "/.compact-\(getpid())"
    }

    static func syncFolder(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw EventStoreError.fileSystem(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw EventStoreError.fileSystem(operation: "fsync", path: path, errno: errno) }
    }
}
