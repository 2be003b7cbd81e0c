import CLMDB
import Foundation

extension Environment {
    /// Drops this process's mapping of every page of the data file (`madvise(MADV_DONTNEED)`), so that they stop
    /// counting in its resident memory; the pages stay in the kernel's page cache, and the next read of one maps
    /// it again from there (a minor fault) with the file's current bytes.
    ///
    /// Why: a process that reads the whole store once — a rebuild walking the log, an import descending the
    /// tables — otherwise ends up with the whole file resident (a million customers: a gigabyte and more), though
    /// it needs each page only for a moment.
    ///
    /// Safe at any moment, inside transactions too: the map is a read-only shared mapping of the file (LMDB writes
    /// with `pwrite`, not through the map), so no data lives only in it; pages a live snapshot uses are never
    /// rewritten (LMDB reuses a page only when no reader can see it), so mapping them again gives the same bytes.
    /// Holds the gate shared, so that no resize moves the map meanwhile — inside a transaction this thread holds it
    /// already (taking a read lock twice could deadlock behind a waiting resize). Linux only (elsewhere it does
    /// nothing).
    public func releaseMappedPages() {
        #if os(Linux)
        let holdsGate = TransactionNesting.isInsideTransaction
        if !holdsGate { gate.lockShared() }
        defer { if !holdsGate { gate.unlock() } }
        var descriptor: Int32 = -1
        var status = stat()
        guard mdb_env_get_fd(handle, &descriptor) == 0, fstat(descriptor, &status) == 0 else { return }
        // LMDB does not tell where it mapped the file (`me_mapaddr` is only set for a fixed map): the kernel does.
        for range in Self.mappings(ofDevice: UInt64(status.st_dev), inode: UInt64(status.st_ino)) {
            // Advice only: a failure (never expected) leaves the pages resident, which is merely what happened before.
            _ = madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), range.count, MADV_DONTNEED)
        }
        #endif
    }

    #if os(Linux)
    /// The address ranges at which this process maps the file (device, inode), from `/proc/self/maps`
    /// (`start-end perms offset major:minor inode path`, numbers in hex but the inode).
    private static func mappings(ofDevice device: UInt64, inode: UInt64) -> [Range<UInt>] {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return [] }
        defer { try? handle.close() }
        // Read to the end by hand: a /proc file reports no size, and whole-file readers stop after a page.
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        let major = UInt64((device >> 8) & 0xFFF) | ((device >> 32) & ~UInt64(0xFFF))
        let minor = (device & 0xFF) | ((device >> 12) & ~UInt64(0xFF))
        var ranges: [Range<UInt>] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count >= 5, UInt64(fields[4]) == inode else { continue }
            let numbers = fields[3].split(separator: ":")
            guard numbers.count == 2, UInt64(numbers[0], radix: 16) == major, UInt64(numbers[1], radix: 16) == minor else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), start < end else { continue }
            ranges.append(start..<end)
        }
        return ranges
    }
    #endif
}
