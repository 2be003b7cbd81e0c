#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few places where Linux and Darwin spell socket constants differently, so the rest of the module does not.
enum SocketCalls {
    #if canImport(Glibc)
    static let streamSocketType = Int32(SOCK_STREAM.rawValue)
    /// Linux: ask `send` not to raise SIGPIPE when the peer has gone; we get EPIPE instead. A library must not
    /// change the process-wide signal disposition, so ignoring SIGPIPE globally is not an option.
    static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    static let streamSocketType = SOCK_STREAM
    /// Darwin has no MSG_NOSIGNAL; `TCPSocket` sets SO_NOSIGPIPE on the socket instead.
    static let sendFlags: Int32 = 0
    #endif

    // Module-qualified wrappers: inside types that have their own `connect`/`send` methods, the bare C
    // names would resolve to those methods.
    #if canImport(Glibc)
    static func connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
        Glibc.connect(fd, address, length)
    }
    static func send(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
        Glibc.send(fd, bytes, count, flags)
    }
    #else
    static func connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
        Darwin.connect(fd, address, length)
    }
    static func send(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
        Darwin.send(fd, bytes, count, flags)
    }
    #endif
}
