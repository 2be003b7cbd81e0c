import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only code of this module that makes socket system calls. Client sockets are non-blocking and every wait
/// goes through `poll` with a deadline, so no read or write can hang a connection thread past its timeout.
enum Socket {
    #if canImport(Glibc)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    /// Linux: `send` reports EPIPE instead of raising SIGPIPE when the client has gone (a library must not
    /// change the process-wide signal disposition).
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    private static let streamType = SOCK_STREAM
    private static let sendFlags: Int32 = 0
    #endif

    enum Wait: Equatable {
        case ready
        case timedOut
        /// The stop descriptor became readable: the server is stopping.
        case stopping
        case failed
    }

    /// A non-blocking listening socket on `host:port` (IPv4 literal); returns it and the bound port.
    static func listen(host: String, port: UInt16) throws(HTTPServerError) -> (fd: Int32, port: UInt16) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw HTTPServerError("\(host) is not an IPv4 address; listen on e.g. 127.0.0.1")
        }
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw HTTPServerError.system("socket", errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError.system("bind to \(host):\(port)", code)
        }
        guard systemListen(fd, HTTPLimits.listenBacklog) == 0, setNonBlocking(fd) else {
            let code = errno
            close(fd)
            throw HTTPServerError.system("listen", code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: actual.sin_port))
    }

    enum Accepted {
        case connection(fd: Int32, address: String)
        /// Nothing pending (or the client already gave up).
        case none
        /// The process has no descriptor left (EMFILE/ENFILE): the connection stays queued in the kernel.
        case outOfDescriptors
    }

    /// The next pending connection as a non-blocking socket and the client's address.
    static func accept(_ listener: Int32) -> Accepted {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = SystemCall.retryingOnInterrupt {
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemAccept(listener, $0, &length) }
            }
        }
        guard fd >= 0 else { return errno == EMFILE || errno == ENFILE ? .outOfDescriptors : .none }
        guard setNonBlocking(fd) else {
            close(fd)
            return .none
        }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
        // Darwin has no MSG_NOSIGNAL: the socket itself must not raise SIGPIPE when the client has gone.
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        _ = inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count))
        return .connection(fd: fd, address: String(cString: text))
    }

    /// Waits until `fd` is readable (or writable with `forWriting`), `deadline` passes, or — when given — `stop`
    /// becomes readable.
    static func wait(_ fd: Int32, forWriting: Bool = false, until deadline: ContinuousClock.Instant, stop: Int32? = nil) -> Wait {
        let events = Int16(forWriting ? POLLOUT : POLLIN)
        var fds = [pollfd(fd: fd, events: events, revents: 0)]
        if let stop { fds.append(pollfd(fd: stop, events: Int16(POLLIN), revents: 0)) }
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return .timedOut }
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            let result = poll(&fds, nfds_t(fds.count), milliseconds)
            if result < 0 {
                if errno == EINTR { continue }
                return .failed
            }
            if result == 0 { continue }
            if fds.count > 1, fds[1].revents != 0 { return .stopping }
            // POLLHUP / POLLERR count as ready: the following read or write reports what happened.
            return .ready
        }
    }

    enum Received: Equatable {
        case bytes(Int)
        case wouldBlock
        /// The client closed its side (or the connection broke).
        case closed
    }

    /// Reads what is available (at most `buffer.count` bytes) into `buffer`.
    static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Received {
        let count = SystemCall.retryingOnInterrupt { buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
        if count > 0 { return .bytes(count) }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .wouldBlock }
        return .closed
    }

    /// Writes all of `bytes` before `deadline`; false when the client is gone or too slow to read.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8], until deadline: ContinuousClock.Instant) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = SystemCall.retryingOnInterrupt {
                bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, sendFlags) }
            }
            if written > 0 {
                offset += written
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard wait(fd, forWriting: true, until: deadline) == .ready else { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// No more bytes from us; the client reads the answer, then end of stream.
    static func shutdownWriting(_ fd: Int32) { _ = shutdown(fd, Int32(SHUT_WR)) }

    /// Once, never retried on EINTR (the descriptor is released even then).
    static func close(_ fd: Int32) { SystemCall.close(fd) }

    /// A pipe whose read end becomes readable, for good, once a byte is written: the stop signal every waiting
    /// thread polls alongside its socket.
    static func makePipe() throws(HTTPServerError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw HTTPServerError.system("pipe", errno) }
        return (fds[0], fds[1])
    }

    static func writeByte(_ fd: Int32) {
        var byte: UInt8 = 1
        _ = SystemCall.retryingOnInterrupt { write(fd, &byte, 1) }
    }

    private static func setNonBlocking(_ fd: Int32) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0
    }

    // Module-qualified names: inside `Socket`, the bare C names would resolve to this type's own methods.
    #if canImport(Glibc)
    private static func systemListen(_ fd: Int32, _ backlog: Int32) -> Int32 { Glibc.listen(fd, backlog) }
    private static func systemAccept(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: UnsafeMutablePointer<socklen_t>) -> Int32 {
        Glibc.accept(fd, address, length)
    }
    #else
    private static func systemListen(_ fd: Int32, _ backlog: Int32) -> Int32 { Darwin.listen(fd, backlog) }
    private static func systemAccept(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: UnsafeMutablePointer<socklen_t>) -> Int32 {
        Darwin.accept(fd, address, length)
    }
    #endif
}
