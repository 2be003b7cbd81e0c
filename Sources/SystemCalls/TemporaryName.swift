#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names of `DurableFile`'s temporary files, `.<name>.<pid>.<random>.tmp`, and the clean-up of those a killed
/// process left behind.
///
/// The leading dot hides them from folder watchers that skip hidden files; the pid says which process may still be
/// writing one; the random part keeps two writes of one process apart.
public enum TemporaryName {
    static func make(for path: String) -> String {
        let folder = DurableFile.folderPath(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        return "\(folder)/.\(name).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
    }

    /// The pid in a temporary file's name, or nil when `name` is not one of ours.
    static func writerPID(ofTemporaryName name: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        // "", <name parts…>, pid, random, "tmp"
        guard parts.count >= 5, UInt64(parts[parts.count - 2]) != nil else { return nil }
        return pid_t(parts[parts.count - 3])
    }

    /// Removes the temporary files in `folder` that a crashed writer left: older than `minimumAge` seconds and
    /// named after a pid that is no live process. A write in progress is never touched: its process is alive, and
    /// a fresh file may belong to a process that just reused a dead one's pid. Returns the names removed.
    ///
    /// A folder that does not exist has nothing to clean.
    @discardableResult
    public static func removeStale(in folder: String, minimumAge: Double = 60) throws(SystemCallError) -> [String] {
        guard let directory = opendir(folder) else {
            if errno == ENOENT { return [] }
            throw SystemCallError(call: "opendir", path: folder, errno: errno)
        }
        defer { closedir(directory) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var removed: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = writerPID(ofTemporaryName: name), !SystemCall.processIsAlive(pid) else { continue }
            let path = folder + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            #if canImport(Glibc)
            let modified = status.st_mtim.tv_sec
            #else
            let modified = status.st_mtimespec.tv_sec
            #endif
            guard Double(now.tv_sec - modified) >= minimumAge else { continue }
            if unlink(path) == 0 || errno == ENOENT {
                removed.append(name)
            } else {
                throw SystemCallError(call: "unlink", path: path, errno: errno)
            }
        }
        return removed
    }
}
