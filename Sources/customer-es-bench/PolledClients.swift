import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keep-alive HTTP clients multiplexed by `poll()` on one thread: the benchmark shares the machine's cores with the
/// server it measures, and one thread waking for whichever answer has arrived costs less CPU per request than one
/// blocked OS thread per connection (a context switch and a wake-up each way). On a machine busy with other
/// work its one thread gets a smaller share of the cores than 64 threads, hence `--clients poll` is not the default.
final class PolledClients {
    private struct Client {
        let fd: Int32
        var pending: [UInt8] = []
        var sent = 0
        var received: [UInt8] = []
        var started = 0.0
        var active = true
    }

    /// `count` requests over `clients` connections, each answer 2xx or the run fails; latencies in milliseconds.
    static func drive(port: UInt16, clients count: Int, requests total: Int, request: (Int) -> String) throws -> HTTPBenchmark.Result {
        var clients: [Client] = []
        defer { for client in clients { _ = Glibc.close(client.fd) } }
        for _ in 0..<count {
            guard let fd = connectedLoopbackSocket(port: port) else { throw BenchError("cannot connect to port \(port)") }
            clients.append(Client(fd: fd))
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(total)
        var next = 0
        let start = now()
        func assign(_ index: Int) {
            guard next < total else {
                clients[index].active = false
                return
            }
            clients[index].pending = Array(request(next).utf8)
            clients[index].sent = 0
            clients[index].started = now()
            next += 1
        }
        for index in clients.indices { assign(index) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while latencies.count < total {
            var fds = clients.map { client in
                pollfd(fd: client.active ? client.fd : -1, events: Int16(client.sent < client.pending.count ? POLLOUT : POLLIN), revents: 0)
            }
            let ready = poll(&fds, nfds_t(fds.count), 30_000)
            guard ready > 0 else { throw BenchError("no answer within 30 s (\(latencies.count) of \(total) answered)") }
            for index in clients.indices where fds[index].revents != 0 {
                if clients[index].sent < clients[index].pending.count {
                    let written = clients[index].pending[clients[index].sent...].withUnsafeBytes {
                        send(clients[index].fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                    }
                    guard written > 0 || errno == EAGAIN else { throw BenchError("a connection failed while sending") }
                    if written > 0 { clients[index].sent += written }
                    continue
                }
                let read = chunk.withUnsafeMutableBytes { recv(clients[index].fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard read > 0 || (read < 0 && errno == EAGAIN) else { throw BenchError("a connection ended before its answer") }
                guard read > 0 else { continue }
                clients[index].received += chunk[..<read]
                guard let (status, length) = answer(in: clients[index].received) else { continue }
                guard (200..<300).contains(status) else { throw BenchError("a request was answered \(status)") }
                clients[index].received.removeFirst(length)
                latencies.append((now() - clients[index].started) * 1000)
                assign(index)
            }
        }
        let seconds = now() - start
        latencies.sort()
        return HTTPBenchmark.Result(
            perSecond: Double(total) / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99))
    }

    /// The status and the whole length of the first complete answer in `bytes` (head and Content-Length body).
    private static func answer(in bytes: [UInt8]) -> (status: Int, length: Int)? {
        guard bytes.count >= 16 else { return nil }
        var headEnd: Int?
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            headEnd = index
            break
        }
        guard let headEnd else { return nil }
        // "HTTP/1.1 200 …": three digits at 9.
        let status = bytes[9...11].reduce(0) { $0 * 10 + Int($1) - 48 }
        let name = Array("\r\ncontent-length:".utf8)
        var length = 0
        var index = 0
        while index + name.count < headEnd {
            if zip(bytes[index..<(index + name.count)], name).allSatisfy({ ($0 | 0x20) == ($1 | 0x20) }) {
                var digit = index + name.count
                while bytes[digit] == 32 { digit += 1 }
                while digit < headEnd, bytes[digit] >= 48, bytes[digit] <= 57 {
                    length = length * 10 + Int(bytes[digit]) - 48
                    digit += 1
                }
                break
            }
            index += 1
        }
        let total = headEnd + 4 + length
        return bytes.count >= total ? (status, total) : nil
    }
}
