import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A hand-driven client socket to 127.0.0.1: sends exactly the bytes a test writes (malformed ones included) and
/// parses answers itself, so nothing between the test and the server fixes a request up.
public final class RawHTTPConnection {
    public struct Response {
        public let status: Int
        public let headers: [(String, String)]
        public let body: [UInt8]
        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public let fd: Int32
    private var buffer: [UInt8] = []

    public init(port: UInt16, timeout: TimeInterval = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw TestFailure("connect to \(port): errno \(errno)")
        }
        setTimeout(timeout)
    }

    deinit { Glibc.close(fd) }

    /// How long a read may block before the test gives up.
    public func setTimeout(_ seconds: TimeInterval) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Sends a GET for `target` and reads its answer.
    public func get(_ target: String, headers: String = "") throws -> Response {
        send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)\r\n")
        return try readResponse()
    }

    /// Reads one answer (status line, fields, Content-Length body). `bodyExpected` false for HEAD.
    public func readResponse(bodyExpected: Bool = true) throws -> Response {
        var headEnd: Int?
        while headEnd == nil {
            if let end = find([13, 10, 13, 10]) { headEnd = end } else if !fill() {
                throw TestFailure("the connection ended before a complete answer (have \(buffer.count) bytes)")
            }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, statusParts[0] == "HTTP/1.1", let status = Int(statusParts[1]) else {
            throw TestFailure("bad status line: \(lines[0])")
        }
        let headers = lines.dropFirst().map { line -> (String, String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (String(line[..<colon]), String(line[colon...].dropFirst()).trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        let bodyLength = bodyExpected ? length : 0
        while buffer.count < bodyLength {
            guard fill() else { throw TestFailure("the connection ended inside a body") }
        }
        let body = Array(buffer[0..<bodyLength])
        buffer.removeFirst(bodyLength)
        return Response(status: status, headers: headers, body: body)
    }

    /// True when the server closes the connection (end of stream or reset) within `seconds`, with no bytes
    /// beyond what was already read.
    public func isClosedByServer(within seconds: TimeInterval) -> Bool {
        setTimeout(seconds)
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 { buffer += chunk[0..<count] }
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Bytes received beyond the answers read so far.
    public var unreadBytes: Int { buffer.count }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[0..<count]
        return true
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for index in 0...(buffer.count - needle.count) where buffer[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
