import Foundation

/// Checks `data.mdb` against its own meta pages with plain file reads, before LMDB maps it: LMDB trusts the
/// file, and touching a page past the end of a truncated file kills the process with SIGBUS.
///
/// LMDB 0.9 starts the file with two meta pages (page 0 and page 1, each `page size` bytes). After a 16-byte
/// page header each holds: magic `0xBEEFC0DE` (u32), data version 1 (u32), map address (8), map size (8), two
/// database records of 48 bytes (the free-page and the main database; the first one's first u32 is the page
/// size, each one's last u64 its root page), the last used page number (u64) and the transaction id (u64), all
/// in the machine's byte order. LMDB uses the meta page with the higher transaction id.
///
/// The file must hold both roots, and the root page of every named table when the main database is one leaf
/// page (as it is for customer-es's few dozen tables): a leaf page is the 16-byte header (page number u64, pad
/// u16, flags u16 — 0x02 leaf —, lower u16, upper u16), then u16 offsets of its nodes; a node is lo u16, hi u16,
/// flags u16 (0x02: a table record follows the key), key size u16, the key, and the 48-byte record whose last
/// u64 is the table's root page. It must also reach that meta page's last used page, give or take the pages a
/// transaction allocated and freed again without writing them (LMDB never writes such "loose" pages, so a
/// sound file can end a few pages short; they are free, and nothing reads them): up to an eighth of the pages,
/// at least 64, may be missing at the end. A file cut shorter than that is refused.
enum DataFileCheck {
    static let magic: UInt32 = 0xBEEF_C0DE
    static let dataVersion: UInt32 = 1
    private static let headerBytes = 16
    private static let metaBytes = 152

    struct Meta: Equatable {
        let pageSize: Int
        let lastPage: UInt64
        let transactionID: UInt64
        let freeRoot: UInt64
        let mainRoot: UInt64
    }

    /// LMDB's "no page" (an empty database has no root).
    static let noPage = UInt64.max

    enum Verdict: Equatable {
        case sound(Meta)
        /// The file does not start like an LMDB data file.
        case notLMDB(String)
        /// An LMDB data file with pages missing at its end.
        case truncated(String)
    }

    /// A store in use changes under the check (a commit writes its pages, then its meta page; pages freed two
    /// commits ago are reused), so a verdict other than `.sound` is confirmed by a second look before it stands.
    static func check(path: String) throws -> Verdict {
        let verdict = try checkOnce(path: path)
        if case .sound = verdict { return verdict }
        usleep(20_000)
        return try checkOnce(path: path)
    }

    private static func checkOnce(path: String) throws -> Verdict {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw EventStoreError.fileSystem(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        // The meta pages first, the size after: LMDB writes a commit's pages before its meta page and never
        // shrinks the file, so a size taken after the meta page covers every page that meta page names.
        let first = try meta(in: descriptor, at: 0, path: path)
        let second = try first.map { try meta(in: descriptor, at: $0.pageSize, path: path) } ?? nil
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw EventStoreError.fileSystem(operation: "fstat", path: path, errno: errno) }
        let size = Int(status.st_size)
        guard size >= headerBytes + metaBytes else {
            return .truncated("data.mdb has \(size) bytes, less than one LMDB meta page")
        }
        guard let first else {
            return .notLMDB("data.mdb does not start with an LMDB meta page")
        }
        guard first.pageSize >= 512, first.pageSize <= 1 << 16, first.pageSize & (first.pageSize - 1) == 0 else {
            return .notLMDB("data.mdb names an impossible page size (\(first.pageSize))")
        }
        guard size >= 2 * first.pageSize else {
            return .truncated("data.mdb has \(size) bytes, less than LMDB's two meta pages of \(first.pageSize) bytes")
        }
        let current = second.map { $0.transactionID > first.transactionID ? $0 : first } ?? first
        let pagesInFile = UInt64(size / current.pageSize)
        for root in [current.freeRoot, current.mainRoot] where root != noPage && root >= pagesInFile {
            return .truncated("data.mdb has \(pagesInFile) pages, but its root page \(root) lies beyond them")
        }
        if current.mainRoot != noPage, let (table, root) = try tableRootBeyond(pagesInFile, meta: current, in: descriptor) {
            return .truncated("data.mdb has \(pagesInFile) pages, but the root page \(root) of its table \(table) lies beyond them")
        }
        let used = current.lastPage &+ 1
        let slack = max(64, used / 8)
        if used > pagesInFile &+ slack {
            return .truncated("data.mdb has \(size) bytes (\(pagesInFile) pages), but its meta page says the log uses \(used) pages")
        }
        return .sound(current)
    }

    /// The first named table whose root page is not in the file, read from the main database's root leaf.
    private static func tableRootBeyond(_ pagesInFile: UInt64, meta: Meta, in descriptor: Int32) throws -> (String, UInt64)? {
        var page = [UInt8](repeating: 0, count: meta.pageSize)
        let offset = off_t(meta.mainRoot) * off_t(meta.pageSize)
        guard pread(descriptor, &page, page.count, offset) == page.count else { return nil }
        return page.withUnsafeBytes { bytes -> (String, UInt64)? in
            let flags = bytes.loadUnaligned(fromByteOffset: 10, as: UInt16.self)
            let lower = Int(bytes.loadUnaligned(fromByteOffset: 12, as: UInt16.self))
            guard flags & 0x02 != 0, lower >= headerBytes, lower <= bytes.count else { return nil }
            for index in 0..<(lower - headerBytes) / 2 {
                let node = Int(bytes.loadUnaligned(fromByteOffset: headerBytes + 2 * index, as: UInt16.self))
                guard node + 8 <= bytes.count else { return nil }
                let nodeFlags = bytes.loadUnaligned(fromByteOffset: node + 4, as: UInt16.self)
                let keySize = Int(bytes.loadUnaligned(fromByteOffset: node + 6, as: UInt16.self))
                let record = node + 8 + keySize
                guard nodeFlags & 0x02 != 0, record + 48 <= bytes.count else { continue }
                let root = bytes.loadUnaligned(fromByteOffset: record + 40, as: UInt64.self)
                if root != noPage && root >= pagesInFile {
                    return (String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(node + 8)..<record]), as: UTF8.self), root)
                }
            }
            return nil
        }
    }

    private static func meta(in descriptor: Int32, at offset: Int, path: String) throws -> Meta? {
        var bytes = [UInt8](repeating: 0, count: headerBytes + metaBytes)
        let count = bytes.withUnsafeMutableBytes { buffer -> Int in
            var filled = 0
            while filled < buffer.count {
                let result = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
                if result > 0 { filled += result } else if result == 0 || errno != EINTR { break }
            }
            return filled
        }
        guard count == bytes.count else { return nil }
        return bytes.withUnsafeBytes { page -> Meta? in
            guard page.loadUnaligned(fromByteOffset: 16, as: UInt32.self) == magic,
                  page.loadUnaligned(fromByteOffset: 20, as: UInt32.self) == dataVersion
            else { return nil }
            return Meta(
                pageSize: Int(page.loadUnaligned(fromByteOffset: 40, as: UInt32.self)),
                lastPage: page.loadUnaligned(fromByteOffset: 136, as: UInt64.self),
                transactionID: page.loadUnaligned(fromByteOffset: 144, as: UInt64.self),
                freeRoot: page.loadUnaligned(fromByteOffset: 80, as: UInt64.self),
                mainRoot: page.loadUnaligned(fromByteOffset: 128, as: UInt64.self))
        }
    }
}
