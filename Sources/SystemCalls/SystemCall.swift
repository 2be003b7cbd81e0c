#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small helpers every caller of a system call needs.
public enum SystemCall {
    /// Runs `call` again while it fails with EINTR: a signal arrived during the call, which is not a failure.
    ///
    /// Not for `close`: on Linux the descriptor is released even when close reports EINTR, and a retry could
    /// close a descriptor another thread has just been given.
    public static func retryingOnInterrupt<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    /// The system's text for an errno value, e.g. "Connection refused".
    public static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Whether a process with this id exists (it may belong to another user: EPERM still means it is alive).
    public static func processIsAlive(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Module-qualified `close`, for types that have a `close()` method of their own.
    @discardableResult
    public static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// Module-qualified `write`, for types that have a `write` method of their own.
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }
}
