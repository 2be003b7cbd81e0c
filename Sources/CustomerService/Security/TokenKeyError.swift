#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// Why the store key file could not be loaded or created.
public enum TokenKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key file exists but is not exactly `TokenKey.byteCount` bytes. Never repaired
    /// automatically: replacing it would silently invalidate every outstanding link.
    case wrongSize(path: String, byteCount: Int)
    /// Something other than a regular file (directory, device, socket) sits at the key path.
    case notARegularFile(path: String)
    /// A system call failed; `errno` is kept for diagnosis.
    case io(operation: String, path: String, errno: Int32)
    /// The store holds events but its key is gone: every link already mailed would die with a new key.
    case missing(path: String)
    /// The key file belongs to someone else, or others may read or write it: it may be planted or leaked.
    case unsafe(path: String, problem: String, fix: String)
    /// Writing a new key failed; the failed call is the cause.
    case system(SystemCallError)

    public var description: String {
        switch self {
        case let .wrongSize(path, byteCount):
            return "token key file \(path) is \(byteCount) bytes, expected exactly \(TokenKey.byteCount). "
                + "It was not replaced because outstanding email links depend on it: restore it from backup, "
                + "or delete it to generate a new key (which invalidates all outstanding links)."
        case let .notARegularFile(path):
            return "token key path \(path) exists but is not a regular file"
        case let .io(operation, path, code):
            return "token key file \(path): \(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
        case let .missing(path):
            return "the store's token key \(path) is missing, but the store holds events: a new key would break every "
                + "link already mailed. Restore token.key from a backup of this store (a backup folder holds it next to "
                + "data.mdb) into the store folder, with mode 0600"
        case let .unsafe(path, problem, fix):
            return "refusing to use the token key \(path): \(problem); \(fix)"
        case let .system(cause):
            return "cannot write the token key file: \(cause)"
        }
    }
}
