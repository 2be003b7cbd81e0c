#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Folders that only their owner may enter: mode 0700, whatever the process's umask.
public enum PrivateFolder {
    public static let mode: mode_t = 0o700

    /// Creates `path` and any missing parent folders, each with mode 0700. A folder that already exists is left as
    /// it is (an operator may have chosen its mode, e.g. a drop folder shared with another program).
    ///
    /// - Throws: `SystemCallError` when a component cannot be created, or exists and is not a folder (ENOTDIR).
    public static func create(at path: String) throws(SystemCallError) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else { throw SystemCallError(call: "mkdir", path: path, errno: ENOTDIR) }
            return
        }
        let parent = parentPath(of: path)
        if let parent, parent != path { try create(at: parent) }
        guard SystemCall.retryingOnInterrupt({ mkdir(path, mode) }) == 0 else {
            let code = errno
            // Another process created it meanwhile: fine, as long as it is a folder.
            if code == EEXIST, stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR { return }
            throw SystemCallError(call: "mkdir", path: path, errno: code)
        }
        // mkdir's mode is filtered by the umask (a umask of 0200 would give 0500): pin it exactly.
        guard chmod(path, mode) == 0 else { throw SystemCallError(call: "chmod", path: path, errno: errno) }
    }

    /// The folder containing `path`, or nil for the root and for a bare relative name.
    static func parentPath(of path: String) -> String? {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return nil }
        let parent = trimmed[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }
}
