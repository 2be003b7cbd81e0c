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
        case let .system(cause):
            return "cannot write the token key file: \(cause)"
        }
    }
}
