import CLMDB
import Foundation

extension Environment {
    /// Replaces the data file by a scrubbed copy of itself and goes on over the new file, without retiring this
    /// environment: for a long-running process (`serve`) that compacts after an erasure and keeps serving.
    ///
    /// Holds the gate exclusively throughout, so it begins once every transaction of this process has ended and
    /// every transaction asked for meanwhile waits for it (they are not refused). Under the gate: the copy is
    /// made into `temporary` (`scrubbedCopy`), the handle is closed, `install` puts the copy in place (rename
    /// and folder sync, by the store layer, which knows the file names and the crash-safety order), and the
    /// handle and the tables are opened again on the new file with the same configuration and map size.
    ///
    /// The caller must have made sure that no other process has the environment open (they would go on using the
    /// old file): the store's `OpenLock`, taken exclusively.
    public func replaceDataFile(withScrubbedCopyIn temporary: URL, install: () throws -> Void) throws {
        gate.lockExclusive()
        defer { gate.unlock() }
        try scrubbedCopy(to: temporary, takingGate: false)
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        var reopening = configuration
        reopening.initialMapSize = max(configuration.initialMapSize, info.me_mapsize)
        mdb_env_close(handle)
        // From here the old handle is gone: whatever fails, the environment must be usable again before the gate
        // opens, so the reopen runs even when the install failed (the old file is then still in place).
        var installFailure: (any Error)?
        do { try install() } catch { installFailure = error }
        do {
            handle = try Self.openHandle(path: path, configuration: reopening)
            tablesByName = try Self.openTables(reopening.tables, in: handle, path: path, create: !reopening.readOnly)
        } catch {
            // A closed handle must never be used again; stopping is safe (the compaction marker makes the next
            // process finish the work), going on is not.
            fatalError("customer-es: \(path) could not be opened again after its data file was replaced: \(error)")
        }
        dataFileGeneration += 1  // whether or not the copy was installed: the handle is new either way
        if let installFailure { throw installFailure }
    }
}
