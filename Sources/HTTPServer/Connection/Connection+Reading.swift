/// Reading from and closing the connection's socket, within the limits and deadlines of `HTTPLimits` and the
/// configuration.
extension Connection {
    enum HeadRead {
        case complete(end: Int)
        case refused(HTTPError)
        case closed
    }

    /// Reads until the blank line ending the head, refusing it as soon as it exceeds a limit (so a huge head is
    /// never buffered) or `deadline` passes (so a client dripping bytes cannot hold the connection).
    func readHead(until deadline: ContinuousClock.Instant) -> HeadRead {
        var searchFrom = 0
        let maxHead = HTTPLimits.maxRequestLineBytes + 2 + HTTPLimits.maxHeaderBytes + 2
        while true {
            if let end = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: buffer, from: max(0, searchFrom - 3)) {
                return .complete(end: end + 4)
            }
            searchFrom = buffer.count
            if buffer.count >= HTTPLimits.maxRequestLineBytes + 2, Self.find([0x0D, 0x0A], in: buffer, from: 0) == nil {
                return .refused(HTTPError(.uriTooLong, "the request line is longer than \(HTTPLimits.maxRequestLineBytes) bytes"))
            }
            if buffer.count > maxHead {
                return .refused(HTTPError(.requestHeaderFieldsTooLarge, "the header fields exceed \(HTTPLimits.maxHeaderBytes) bytes"))
            }
            switch Socket.wait(fd, until: deadline) {
            case .ready:
                guard readMore() else { return .closed }
            case .timedOut:
                return .refused(HTTPError(.requestTimeout, "the request head did not arrive within \(configuration.headerReadTimeout) s"))
            case .stopping, .failed:
                return .closed
            }
        }
    }

    /// Reads until the buffer holds `count` bytes; false on timeout or when the client has gone.
    func readBody(upTo count: Int, until deadline: ContinuousClock.Instant) -> Bool {
        while buffer.count < count {
            guard Socket.wait(fd, until: deadline) == .ready else { return false }
            guard readMore() else { return false }
        }
        return true
    }

    /// Appends what the socket has; false when the client closed or the connection broke.
    func readMore() -> Bool {
        switch Socket.receive(fd, into: &chunk) {
        case .bytes(let count):
            buffer.append(contentsOf: chunk[0..<count])
            return true
        case .wouldBlock:
            return true
        case .closed:
            clientHasGone = true
            return false
        }
    }

    func send(_ bytes: [UInt8]) -> Bool {
        Socket.sendAll(fd, bytes, until: .now + .seconds(configuration.writeTimeout))
    }

    /// RFC 9112 lets a server ignore empty lines before a request line (some clients send a CRLF after a body).
    /// Returns how many bytes were dropped.
    func dropLeadingLineBreaks() -> Int {
        let count = buffer.prefix { $0 == 0x0D || $0 == 0x0A }.count
        if count > 0 { buffer.removeFirst(count) }
        return count
    }

    /// Empty-line bytes accepted before one request line (two CRLFs, twice over).
    static let maxLeadingLineBreakBytes = 8

    /// Closes the descriptor; `lingering` first ends our side and reads what the client still sends for a
    /// moment, so the close does not reset the connection before the client has read our answer.
    func close(lingering: Bool) -> Bool {
        if lingering && !clientHasGone {
            Socket.shutdownWriting(fd)
            let deadline = ContinuousClock.now + .seconds(HTTPLimits.lingerSeconds)
            var drained = 0
            while drained < HTTPLimits.lingerBytes, Socket.wait(fd, until: deadline) == .ready,
                case .bytes(let count) = Socket.receive(fd, into: &chunk)
            {
                drained += count
            }
        }
        Socket.close(fd)
        return false
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
