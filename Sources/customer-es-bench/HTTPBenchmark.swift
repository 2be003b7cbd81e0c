import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import Storefront

/// `customer-es-bench http`: the storefront on a real HTTPServer (in this process, on a loopback port) driven by
/// keep-alive clients on raw sockets: a static route beside GET and POST of the confirm link at 1, 16 and 64
/// clients; then verifications from 64 threads group-committed against one commit per request.
enum HTTPBenchmark {
    static func run(requests: Int) throws {
        let folder = scratchFolder("http")
        defer { removeScratch(folder) }
        let service = try CustomerService(directory: folder)
        let clientCounts = [1, 16, 64]
        // One fresh token per POST of every round, and for the application-level comparison.
        let tokens = try makeTokens(service, count: requests * clientCounts.count + 2 * requests)
        var nextToken = 0
        func take(_ count: Int) -> [String] {
            defer { nextToken += count }
            return Array(tokens[nextToken..<(nextToken + count)])
        }
        let storefront = Storefront(service: service)
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0, maxConnections: 128), router: storefront.router())
        let port = try server.start()
        defer {
            server.stop()
            server.waitUntilStopped()
        }
        report("requests_per_round", "\(requests)")
        let pageToken = tokens[tokens.count - 1]
        for clients in clientCounts {
            let statics = try drive(port: port, clients: clients, count: requests) { _ in "GET /static/storefront.css HTTP/1.1\r\nHost: bench\r\n\r\n" }
            let pages = try drive(port: port, clients: clients, count: requests) { _ in "GET /register/confirm?token=\(pageToken) HTTP/1.1\r\nHost: bench\r\n\r\n" }
            let roundTokens = take(requests)
            let posts = try drive(port: port, clients: clients, count: requests) { index in
                let body = "token=\(roundTokens[index])"
                return "POST /register/confirm HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            for (name, result) in [("static", statics), ("get_confirm", pages), ("post_confirm", posts)] {
                report("\(name)_c\(clients)_per_s", result.perSecond)
                report("\(name)_c\(clients)_p50_ms", result.p50, decimals: 3)
                report("\(name)_c\(clients)_p99_ms", result.p99, decimals: 3)
            }
            report("get_confirm_c\(clients)_vs_static", pages.perSecond / statics.perSecond, decimals: 2)
        }
        report("post_confirm_commits", "\(storefront.groupCommits)")

        // The same command from 64 threads: through the batcher, and one write transaction each.
        let grouped = GroupCommittedCommands(service: service)
        let metadata = CommandMetadata(actor: "bench")
        let batched = take(requests)
        let batchedRate = concurrently(64, count: requests) { index in _ = try? grouped.verifyEmail(token: batched[index], metadata: metadata) }
        let singles = take(requests)
        let singleRate = concurrently(64, count: requests) { index in _ = try? service.verifyEmail(token: singles[index], metadata: metadata) }
        report("verify_64_threads_group_commit_per_s", batchedRate)
        report("verify_64_threads_commit_each_per_s", singleRate)
        report("group_commit_speedup", batchedRate / singleRate, decimals: 1)
    }

    struct Result {
        let perSecond: Double
        let p50: Double
        let p99: Double
    }

    static func makeTokens(_ service: CustomerService, count: Int) throws -> [String] {
        var tokens: [String] = []
        var created = 0
        while created < count {
            let batch = min(1000, count - created)
            let forms = (0..<batch).map { (form: CommandsBenchmark.form(created + $0), sendPasswordToken: false) }
            for result in try service.createMany(forms, metadata: CommandMetadata(actor: "bench")) {
                guard case .success(let outcome) = result, let reference = outcome.reference else {
                    throw BenchError("a generated customer was rejected")
                }
                let (_, state, _) = try service.customer(reference)
                guard let id = state.verificationToken?.id else { throw BenchError("no verification token") }
                tokens.append(service.token(for: id, purpose: .emailVerification))
            }
            created += batch
        }
        return tokens
    }

    /// `count` requests spread over `clients` keep-alive connections; latencies in milliseconds.
    static func drive(port: UInt16, clients: Int, count: Int, request: @escaping @Sendable (Int) -> String) throws -> Result {
        let latencies = LatencyLog()
        let next = Counter()
        let group = DispatchGroup()
        let start = now()
        for _ in 0..<clients {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let connection = KeepAliveConnection(port: port) else { return }
                defer { connection.close() }
                while true {
                    let index = next.take()
                    guard index < count else { return }
                    let t0 = now()
                    guard connection.exchange(request(index)) else { return }
                    latencies.add((now() - t0) * 1000)
                }
            }.start()
        }
        group.wait()
        let seconds = now() - start
        let sorted = latencies.sorted
        guard sorted.count == count else { throw BenchError("only \(sorted.count) of \(count) requests were answered") }
        return Result(perSecond: Double(count) / seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99))
    }

    /// Calls per second of `body` over `threads` threads.
    static func concurrently(_ threads: Int, count: Int, _ body: @escaping @Sendable (Int) -> Void) -> Double {
        let next = Counter()
        let group = DispatchGroup()
        let start = now()
        for _ in 0..<threads {
            group.enter()
            Thread {
                while case let index = next.take(), index < count { body(index) }
                group.leave()
            }.start()
        }
        group.wait()
        return Double(count) / (now() - start)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

final class LatencyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ value: Double) { lock.withLock { values.append(value) } }
    var sorted: [Double] { lock.withLock { values.sorted() } }
}

/// One HTTP/1.1 keep-alive connection on a raw socket: sends a request, reads one answer by its Content-Length.
final class KeepAliveConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init?(port: UInt16) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else { return nil }
    }

    func close() { _ = Glibc.close(fd) }

    /// Whether a complete 2xx–4xx answer came back.
    func exchange(_ request: String) -> Bool {
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            sent += n
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = headEnd(separator) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                while buffer.count < end + 4 + length { guard read() else { return false } }
                buffer.removeFirst(end + 4 + length)
                return head.hasPrefix("HTTP/1.1 2") || head.hasPrefix("HTTP/1.1 3") || head.hasPrefix("HTTP/1.1 4")
            }
            guard read() else { return false }
        }
    }

    private func headEnd(_ separator: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && Array(buffer[index..<(index + 4)]) == separator { return index }
        return nil
    }

    private func read() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer += chunk[..<n]
        return true
    }
}
