import Foundation

/// A `customer-es serve` process on a free loopback port over a given store, as a user starts it (no dispatcher:
/// `--transport none`), its standard output and error (the access log) in `log`. `stop()` sends SIGTERM and waits.
final class BenchServeProcess {
    let pid: pid_t
    let port: UInt16

    init(cli: String, store: URL, log: URL, arguments: [String]) throws {
        port = try freeLoopbackPort()
        let argv = [cli, "--store", store.path, "serve", "--listen", "127.0.0.1:\(port)", "--transport", "none"] + arguments
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var child: pid_t = 0
        let rc = posix_spawn(&child, cli, &actions, nil, cArguments, environ)
        guard rc == 0 else { throw BenchError("posix_spawn \(cli) failed: \(rc)") }
        pid = child
        let deadline = now() + 15
        while KeepAliveConnection(port: port) == nil {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw BenchError("serve exited before listening: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            guard now() < deadline else {
                kill(pid, SIGKILL)
                throw BenchError("serve did not listen on 127.0.0.1:\(port) within 15 s")
            }
            usleep(20_000)
        }
    }

    /// Resident memory of the server now, from /proc.
    var residentKiB: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
    }

    /// CPU time (user + system) the server has used so far, in seconds, from /proc: per request it is less
    /// sensitive than wall-clock rates to other load on the machine.
    var cpuSeconds: Double {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        // After the parenthesised command name: utime and stime are fields 14 and 15 of the whole line.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM, then waits for the exit, which must be clean.
    func stop() throws {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { throw BenchError("serve exited with status \(status) after SIGTERM") }
    }
}

/// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
func freeLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchError("socket failed: errno \(errno)") }
    defer { close(fd) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw BenchError("cannot bind a loopback port: errno \(errno)") }
    return UInt16(bigEndian: address.sin_port)
}

func loopbackAddress(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// One HTTP/1.1 keep-alive connection on a raw socket: sends a request, reads one answer by its Content-Length.
/// A TCP connection to 127.0.0.1:`port` with Nagle off (requests are small and wait for their answers).
func connectedLoopbackSocket(port: UInt16) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = loopbackAddress(port: port)
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        _ = Glibc.close(fd)
        return nil
    }
    var one: Int32 = 1
    _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    return fd
}

final class KeepAliveConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 16 * 1024)

    init?(port: UInt16) {
        guard let fd = connectedLoopbackSocket(port: port) else { return nil }
        self.fd = fd
    }

    func close() { _ = Glibc.close(fd) }

    /// The status of the answer, or nil when the connection failed before a complete answer.
    func exchange(_ request: String) -> Int? {
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return nil }
            sent += n
        }
        var searched = 0
        while true {
            if let end = headEnd(from: searched) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                let length = lines.first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                while buffer.count < end + 4 + length { guard read() else { return nil } }
                buffer.removeFirst(end + 4 + length)
                let statusLine = lines.first?.split(separator: " ") ?? []
                return statusLine.count >= 2 ? Int(statusLine[1]) : nil
            }
            searched = max(0, buffer.count - 3)
            guard read() else { return nil }
        }
    }

    private func headEnd(from start: Int) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }

    private func read() -> Bool {
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer += chunk[..<n]
        return true
    }
}
