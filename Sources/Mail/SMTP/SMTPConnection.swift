/// One SMTP connection: sends command lines, reads complete replies, and turns every socket or syntax problem into
/// a `DeliveryFailure` that names the server and the step that failed.
///
/// It knows the wire format, not the dialogue; `SMTPTransport` decides what to send and what a reply means.
/// Not thread-safe: used by one transport, which is used by one thread at a time.
final class SMTPConnection {
    /// `host:port` (`[::1]:25` for IPv6 literals), for messages.
    let endpoint: String
    /// Set once the byte stream can no longer be trusted (I/O error, timeout, garbled reply, `421`): the
    /// transport must not reuse this connection.
    private(set) var isBroken = false
    /// Replies (other than 421) received since `startTransaction()`. Zero after a failure means the server was
    /// already gone when the transaction began: an idle connection it had closed.
    private(set) var repliesSinceTransactionStart = 0
    /// The EHLO keywords the server announced (upper-cased, e.g. `8BITMIME`); empty after HELO.
    var extensions: Set<String> = []

    private let socket: TCPSocket
    private let timeout: Double
    private var received: [UInt8] = []
    private var receivedStart = 0
    private var chunk = [UInt8](repeating: 0, count: 16 * 1024)

    /// RFC 5321 §4.5.3.1.5 allows reply lines of 512 octets; we tolerate more from chatty servers.
    private static let maximumLineLength = 4096

    private init(endpoint: String, socket: TCPSocket, timeout: Double) {
        self.endpoint = endpoint
        self.socket = socket
        self.timeout = timeout
    }

    static func open(host: String, port: UInt16, timeout: Double) throws(DeliveryFailure) -> SMTPConnection {
        let endpoint = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        do {
            let socket = try TCPSocket.connect(host: host, port: port, timeout: timeout)
            return SMTPConnection(endpoint: endpoint, socket: socket, timeout: timeout)
        } catch {
            let message: String
            switch error.reason {
            case .connectionRefused:
                message = "SMTP server \(endpoint) refused the connection (is it running and listening on that port?)"
            case .timedOut:
                message = "SMTP server \(endpoint) did not accept the connection within \(seconds(timeout)) "
                    + "(is the host reachable, or is a firewall dropping the packets?)"
            case .cannotResolve(let detail):
                message = "cannot resolve the SMTP host \"\(host)\": \(detail) (check the host name)"
            case .closedByPeer, .system:
                message = "cannot connect to SMTP server \(endpoint): \(error.explanation)"
            }
            throw .temporary(message)
        }
    }

    /// Sends `command` followed by CRLF and returns the server's reply. `step` names the exchange in errors.
    func exchange(_ command: String, step: String) throws(DeliveryFailure) -> SMTPReply {
        try send(Array((command + "\r\n").utf8), step: step)
        return try readReply(step: step)
    }

    /// Sends raw bytes (the framed DATA content), then reads the reply.
    func exchange(bytes: [UInt8], step: String) throws(DeliveryFailure) -> SMTPReply {
        try send(bytes, step: step)
        return try readReply(step: step)
    }

    /// Reads one reply without sending anything (the greeting).
    func readReply(step: String) throws(DeliveryFailure) -> SMTPReply {
        let deadline = Deadline(after: timeout)
        var parser = SMTPReplyParser()
        while true {
            let line = try readLine(until: deadline, step: step)
            switch parser.consume(line) {
            case .needMoreLines:
                continue
            case .complete(let reply):
                // 421: "service not available, closing transmission channel" — whatever we asked, the server is
                // about to hang up.
                if reply.code == 421 { isBroken = true } else { repliesSinceTransactionStart += 1 }
                return reply
            case .malformed(let problem):
                throw brokenFailure(
                    "SMTP server \(endpoint) sent a malformed reply to \(step): \(problem) (is it really an SMTP server?)"
                )
            }
        }
    }

    func startTransaction() {
        repliesSinceTransactionStart = 0
    }

    /// Marks the connection unusable and closes it, e.g. after a reply that makes no sense in the dialogue.
    func abandon() {
        isBroken = true
        socket.close()
    }

    func close() {
        socket.close()
    }

    private func send(_ bytes: [UInt8], step: String) throws(DeliveryFailure) {
        do {
            try socket.send(bytes, until: Deadline(after: timeout))
        } catch {
            switch error.reason {
            case .timedOut:
                throw brokenFailure("SMTP server \(endpoint) did not accept \(step) within \(Self.seconds(timeout))")
            case .closedByPeer:
                throw brokenFailure("SMTP server \(endpoint) closed the connection before \(step) could be sent")
            default:
                throw brokenFailure("sending \(step) to SMTP server \(endpoint) failed: \(error.explanation)")
            }
        }
    }

    /// The next line without its line ending (CRLF, or a bare LF from lenient servers).
    private func readLine(until deadline: Deadline, step: String) throws(DeliveryFailure) -> ArraySlice<UInt8> {
        var searchFrom = receivedStart
        while true {
            if let newline = received[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > receivedStart, received[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = received[receivedStart..<end]
                receivedStart = newline + 1
                return line
            }
            guard received.count - receivedStart <= Self.maximumLineLength else {
                throw brokenFailure(
                    "SMTP server \(endpoint) sent a reply line longer than \(Self.maximumLineLength) bytes to \(step)"
                )
            }
            compactBuffer()
            searchFrom = received.count
            let count: Int
            do {
                count = try socket.receive(into: &chunk, until: deadline)
            } catch {
                switch error.reason {
                case .timedOut:
                    throw brokenFailure("SMTP server \(endpoint) did not answer \(step) within \(Self.seconds(timeout))")
                case .closedByPeer:
                    throw brokenFailure(closedMessage(step: step))
                default:
                    throw brokenFailure(
                        "reading the reply to \(step) from SMTP server \(endpoint) failed: \(error.explanation)"
                    )
                }
            }
            if count == 0 { throw brokenFailure(closedMessage(step: step)) }
            received.append(contentsOf: chunk[0..<count])
        }
    }

    /// Drops consumed bytes so the buffer does not grow across thousands of replies on one connection.
    private func compactBuffer() {
        guard receivedStart > 0 else { return }
        received.removeFirst(receivedStart)
        receivedStart = 0
    }

    /// A temporary failure that also retires the connection: after an I/O error or a garbled reply we no longer
    /// know where the server is in the dialogue.
    private func brokenFailure(_ message: String) -> DeliveryFailure {
        abandon()
        return .temporary(message)
    }

    private func closedMessage(step: String) -> String {
        "SMTP server \(endpoint) closed the connection unexpectedly while we waited for the reply to \(step)"
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
