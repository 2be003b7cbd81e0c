#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole file so that readers see either the old content or the new, never a part, even across a crash.
///
/// The recipe: write a temporary file in the same directory, fsync it, rename it over the target (atomic within
/// one file system), then fsync the directory so the rename itself survives a power loss.
enum AtomicFile {
    struct Failure: Error {
        let call: String
        let path: String
        let code: Int32

        var description: String {
            "\(call) \(path) failed: \(SystemCalls.describe(errno: code)) (errno \(code))"
        }
    }

    static func write(_ bytes: [UInt8], to path: String, directory: String) throws(Failure) {
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        // Unique per process and call; dot-prefixed so directory watchers that skip hidden files ignore it.
        let temporary = "\(directory)/.\(name).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(call: "creating", path: temporary, code: errno) }
        var committed = false
        defer {
            if !committed { _ = unlink(temporary) }
        }

        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return SystemCalls.retryingOnInterrupt { SystemCalls.write(fd, base + offset, buffer.count - offset) }
            }
            guard written > 0 else {
                // write never returns 0 for a regular file and a non-empty buffer; if it did, do not spin.
                let code = written == 0 ? EIO : errno
                _ = SystemCalls.close(fd)
                throw Failure(call: "writing", path: temporary, code: code)
            }
            offset += written
        }
        guard SystemCalls.retryingOnInterrupt({ fsync(fd) }) == 0 else {
            let code = errno
            _ = SystemCalls.close(fd)
            throw Failure(call: "fsync of", path: temporary, code: code)
        }
        // close can report a deferred write error (e.g. on NFS): treat it as a failed write.
        guard SystemCalls.close(fd) == 0 else { throw Failure(call: "closing", path: temporary, code: errno) }
        guard rename(temporary, path) == 0 else { throw Failure(call: "renaming onto", path: path, code: errno) }
        committed = true
        try syncDirectory(directory)
    }

    /// fsync of the directory makes the rename (a change to the directory's entries) durable.
    static func syncDirectory(_ directory: String) throws(Failure) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(call: "opening the directory", path: directory, code: errno) }
        defer { _ = SystemCalls.close(fd) }
        guard SystemCalls.retryingOnInterrupt({ fsync(fd) }) == 0 else {
            throw Failure(call: "fsync of the directory", path: directory, code: errno)
        }
    }
}
