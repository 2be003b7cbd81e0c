#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes that readers see either complete or not at all, even across a crash or a power loss, and
/// that only the owner can read (mode 0600 whatever the umask).
///
/// The recipe: write a temporary file in the same folder (`.<name>.<pid>.<random>.tmp`, mode 0600), fsync it,
/// publish it under its final name (rename, atomic within one file system; or link when the first writer must
/// win), then fsync the folder so the new directory entry itself survives a power loss.
public enum DurableFile {
    public static let mode: mode_t = 0o600

    /// Writes `bytes` to `path`, replacing any file there.
    public static func write(_ bytes: [UInt8], to path: String) throws(SystemCallError) {
        let temporary = try writeTemporary(bytes, nextTo: path)
        guard rename(temporary, path) == 0 else {
            let code = errno
            _ = unlink(temporary)
            throw SystemCallError(call: "rename onto", path: path, errno: code)
        }
        try syncFolder(folderPath(of: path))
    }

    /// Writes `bytes` to `path` unless a file is already there: of two processes racing, exactly one publishes its
    /// bytes (rename would silently replace the other's). Returns false, writing nothing, when `path` exists.
    public static func create(_ bytes: [UInt8], at path: String) throws(SystemCallError) -> Bool {
        let temporary = try writeTemporary(bytes, nextTo: path)
        // After a successful link the content lives on under its final name; either way the temporary name goes.
        defer { _ = unlink(temporary) }
        guard link(temporary, path) == 0 else {
            let code = errno
            if code == EEXIST { return false }
            throw SystemCallError(call: "link onto", path: path, errno: code)
        }
        try syncFolder(folderPath(of: path))
        return true
    }

    /// fsync of a folder makes the changes to its entries (a rename, a link) durable. File systems that cannot
    /// fsync a folder say so with EINVAL; the file itself is already durable there, so that is not an error.
    public static func syncFolder(_ folder: String) throws(SystemCallError) {
        let descriptor = SystemCall.retryingOnInterrupt { open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw SystemCallError(call: "open", path: folder, errno: errno) }
        defer { SystemCall.close(descriptor) }
        if SystemCall.retryingOnInterrupt({ fsync(descriptor) }) != 0 && errno != EINVAL {
            throw SystemCallError(call: "fsync", path: folder, errno: errno)
        }
    }

    /// Creates the temporary file for `path` (O_EXCL, mode 0600), writes all of `bytes` and fsyncs it; removes it
    /// again on any failure. Returns its path.
    static func writeTemporary(_ bytes: [UInt8], nextTo path: String) throws(SystemCallError) -> String {
        let temporary = TemporaryName.make(for: path)
        let descriptor = SystemCall.retryingOnInterrupt {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        }
        guard descriptor >= 0 else { throw SystemCallError(call: "create", path: temporary, errno: errno) }
        var written = false
        defer { if !written { _ = unlink(temporary) } }
        do throws(SystemCallError) {
            // open's mode is filtered by the umask, which could remove the owner's bits: pin it exactly.
            guard fchmod(descriptor, mode) == 0 else { throw SystemCallError(call: "fchmod", path: temporary, errno: errno) }
            try writeAll(bytes, to: descriptor, path: temporary)
            guard SystemCall.retryingOnInterrupt({ fsync(descriptor) }) == 0 else {
                throw SystemCallError(call: "fsync", path: temporary, errno: errno)
            }
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
        // close can report a deferred write error (e.g. on NFS): that is a failed write.
        guard SystemCall.close(descriptor) == 0 else { throw SystemCallError(call: "close", path: temporary, errno: errno) }
        written = true
        return temporary
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return SystemCall.retryingOnInterrupt { SystemCall.write(descriptor, base + offset, buffer.count - offset) }
            }
            // write never returns 0 for a regular file and a non-empty buffer; if it did, do not spin.
            guard count > 0 else { throw SystemCallError(call: "write", path: path, errno: count == 0 ? EIO : errno) }
            offset += count
        }
    }

    static func folderPath(of path: String) -> String {
        PrivateFolder.parentPath(of: path) ?? "."
    }
}
