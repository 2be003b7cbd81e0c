#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// A connected, non-blocking TCP socket whose every operation is bounded by a deadline (via `poll`).
///
/// Not Sendable and not thread-safe: it owns a file descriptor that one thread uses at a time (the SMTP
/// transport's caller). The descriptor is closed exactly once, by `close()` or `deinit`.
final class TCPSocket {
    private var descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close() }

    var isOpen: Bool { descriptor >= 0 }

    /// Connects to the first address of `host` that accepts, within `timeout` seconds overall.
    ///
    /// The connect itself is non-blocking and awaited with `poll`, because a blocking `connect` to an unreachable
    /// host can hang for minutes (the kernel's SYN retries), far beyond any timeout we promise.
    static func connect(host: String, port: UInt16, timeout: Double) throws(SocketError) -> TCPSocket {
        let deadline = Deadline(after: timeout)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = SocketCalls.streamSocketType
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SocketError(.cannotResolve(String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(first) }

        var lastError = SocketError(.connectionRefused)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            do {
                return try connect(to: info.pointee, deadline: deadline)
            } catch {
                lastError = error
                if error.reason == .timedOut { break }
            }
        }
        throw lastError
    }

    private static func connect(to info: addrinfo, deadline: Deadline) throws(SocketError) -> TCPSocket {
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        guard fd >= 0 else { throw SocketError(.system(call: "socket", errno: errno)) }
        // From here on the TCPSocket owns fd and closes it if we throw.
        let socket = TCPSocket(descriptor: fd)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // not inherited by child processes (e.g. a spawned test server)
        guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else {
            throw SocketError(.system(call: "fcntl(O_NONBLOCK)", errno: errno))
        }
        var one: Int32 = 1
        // Commands are small writes each answered by the server: without TCP_NODELAY, Nagle's algorithm and the
        // peer's delayed ACK can add ~40 ms to every round trip, which dominates a 10 000-message run.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif

        if SocketCalls.connect(fd, info.ai_addr, info.ai_addrlen) == 0 { return socket }
        let connectError = errno
        guard connectError == EINPROGRESS || connectError == EINTR else {
            throw connectError == ECONNREFUSED
                ? SocketError(.connectionRefused) : SocketError(.system(call: "connect", errno: connectError))
        }
        try socket.wait(for: Int16(POLLOUT), until: deadline)
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 else {
            throw SocketError(.system(call: "getsockopt(SO_ERROR)", errno: errno))
        }
        switch socketError {
        case 0: return socket
        case ECONNREFUSED: throw SocketError(.connectionRefused)
        default: throw SocketError(.system(call: "connect", errno: socketError))
        }
    }

    /// Writes all of `bytes`, waiting for buffer space as needed, until `deadline`.
    func send(_ bytes: [UInt8], until deadline: Deadline) throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            let fd = try openDescriptor()
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return SystemCall.retryingOnInterrupt {
                    SocketCalls.send(fd, base + offset, buffer.count - offset, SocketCalls.sendFlags)
                }
            }
            if written >= 0 {
                offset += written
                continue
            }
            let code = errno
            switch code {
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLOUT), until: deadline)
            case EPIPE, ECONNRESET: throw SocketError(.closedByPeer)
            default: throw SocketError(.system(call: "send", errno: code))
            }
        }
    }

    /// Reads whatever is available (at least one byte) into `buffer`, waiting until `deadline`.
    /// Returns 0 when the peer has closed the connection.
    func receive(into buffer: inout [UInt8], until deadline: Deadline) throws(SocketError) -> Int {
        while true {
            let fd = try openDescriptor()
            let count = buffer.withUnsafeMutableBytes { raw in
                SystemCall.retryingOnInterrupt { recv(fd, raw.baseAddress, raw.count, 0) }
            }
            if count >= 0 { return count }
            let code = errno
            switch code {
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLIN), until: deadline)
            case ECONNRESET: throw SocketError(.closedByPeer)
            default: throw SocketError(.system(call: "recv", errno: code))
            }
        }
    }

    func close() {
        guard descriptor >= 0 else { return }
        // Not retried on EINTR: on Linux the descriptor is released even then, and a retry could close a
        // descriptor another thread has just been given.
        _ = SystemCall.close(descriptor)
        descriptor = -1
    }

    private func openDescriptor() throws(SocketError) -> Int32 {
        guard descriptor >= 0 else { throw SocketError(.closedByPeer) }
        return descriptor
    }

    /// Waits until the socket is ready for `events`, or throws `.timedOut` at the deadline. Errors and hang-ups
    /// count as ready: the following send/recv reports them precisely.
    private func wait(for events: Int16, until deadline: Deadline) throws(SocketError) {
        while true {
            var entry = pollfd(fd: try openDescriptor(), events: events, revents: 0)
            let timeout = deadline.remainingMilliseconds
            if timeout == 0 && deadline.hasPassed { throw SocketError(.timedOut) }
            let ready = poll(&entry, 1, timeout)
            if ready > 0 { return }
            if ready == 0 { throw SocketError(.timedOut) }
            if errno != EINTR { throw SocketError(.system(call: "poll", errno: errno)) }
        }
    }
}
