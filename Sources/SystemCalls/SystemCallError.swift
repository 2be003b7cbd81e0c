#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: which call, on which path (if any), and the errno it set.
///
/// Higher-level errors (a delivery failure, a key file problem, a store error) carry it as their cause, so the
/// operator always sees the call and the system's own words ("No space left on device") behind the summary.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, e.g. `open`, `fsync`, `rename`.
    public let call: String
    /// The file or folder involved, or nil for calls without one.
    public let path: String?
    public let errno: Int32

    public init(call: String, path: String? = nil, errno: Int32) {
        self.call = call
        self.path = path
        self.errno = errno
    }

    /// The system's text for `errno`, e.g. "Permission denied".
    public var message: String { SystemCall.describe(errno: errno) }

    /// True for "the device is full" (no space, or the user's quota is used up): an outage of the machine, not a
    /// problem of what was being written.
    public var isOutOfSpace: Bool { errno == ENOSPC || errno == EDQUOT }

    public var description: String {
        let subject = path.map { "\(call) \($0)" } ?? call
        return "\(subject) failed: \(message) (errno \(errno))"
    }
}
