import CustomerAggregate
import CustomerService
import Foundation
import Mail

/// `customer-es-bench outbox [--emails N] [--batch B]`: queue N verification emails (N customers created 1000 per
/// transaction), then dispatch them all through the real dispatcher (claim B = 100 per write transaction, deliver,
/// record the outcomes per batch) to the file transport (one fsync'ed `.eml` per email) and, with another N, to a loopback SMTP server
/// (Debian's python3-aiosmtpd with its Sink handler, over one reused connection); and, to show the outbox's own
/// cost, with another N to a transport that discards the bytes.
enum OutboxBenchmark {
    static let python = "/usr/bin/python3"

    static func run(emails: Int, batch: Int) throws {
        let folder = scratchFolder("outbox")
        defer { removeScratch(folder) }
        let service = try CustomerService(directory: folder.appendingPathComponent("store"))
        let metadata = CommandMetadata(actor: "bench")
        report("emails", "\(emails)")
        report("batch", "\(batch)")

        let queueSeconds = try queue(emails, offset: 0, service: service, metadata: metadata)
        report("queue_per_s", Double(emails) / queueSeconds)

        let file = try dispatch(
            service: service, transport: FileTransport(directory: folder.appendingPathComponent("mail")), metadata: metadata,
            expected: emails, batch: batch)
        report("dispatch_file_per_s", Double(emails) / file)

        // The outbox's own cost (claim, load, render, token, record) with a transport that discards the bytes.
        _ = try queue(emails, offset: 2 * emails, service: service, metadata: metadata)
        let null = try dispatch(service: service, transport: DiscardingTransport(), metadata: metadata, expected: emails, batch: batch)
        report("dispatch_no_transport_per_s", Double(emails) / null)

        guard let server = try SinkServer.start() else {
            report("dispatch_smtp_per_s", "n/a (python3-aiosmtpd is not installed: apt-get install python3-aiosmtpd)")
            return
        }
        defer { server.stop() }
        _ = try queue(emails, offset: emails, service: service, metadata: metadata)
        let smtp = try dispatch(
            service: service, transport: SMTPTransport(host: "127.0.0.1", port: server.port, timeout: 10),
            metadata: metadata, expected: emails, batch: batch)
        report("dispatch_smtp_per_s", Double(emails) / smtp)
    }

    /// Creates `count` customers (one verification email each) in batches of 1000; returns the seconds spent.
    private static func queue(_ count: Int, offset: Int, service: CustomerService, metadata: CommandMetadata) throws -> Double {
        var created = 0
        var seconds = 0.0
        while created < count {
            let batch = min(1000, count - created)
            let forms = (0..<batch).map { (form: CommandsBenchmark.form(offset + created + $0), sendPasswordToken: false) }
            let t0 = now()
            let results = try service.createMany(forms, metadata: metadata)
            seconds += now() - t0
            guard results.allSatisfy({ if case .success = $0 { true } else { false } }) else {
                throw BenchError("a generated customer was rejected")
            }
            created += batch
        }
        return seconds
    }

    private static func dispatch(
        service: CustomerService, transport: any MailTransport, metadata: CommandMetadata, expected: Int, batch: Int
    ) throws -> Double {
        let dispatcher = try OutboxDispatcher(service: service, transport: transport, metadata: metadata, options: .init(batchSize: batch))
        let t0 = now()
        let summary = try dispatcher.dispatchDue()
        let seconds = now() - t0
        guard summary.sent == expected else {
            throw BenchError("\(transport.name): expected \(expected) emails sent, got \(summary.sent) sent, \(summary.failed) failed, \(summary.dead) dead")
        }
        return seconds
    }
}

/// Accepts every message and does nothing with it.
private final class DiscardingTransport: MailTransport {
    let name = "discard"
    func prepare() {}
    func deliver(_ message: EmailMessage, rendered: [UInt8], confirm: () -> Bool) throws(DeliveryFailure) -> DeliveryReceipt {
        DeliveryReceipt(transport: name, detail: "\(rendered.count) bytes discarded")
    }
    func close() {}
}

/// aiosmtpd with the Sink handler (accepts and discards every message) on a free loopback port.
private final class SinkServer {
    let port: UInt16
    private let process: Process

    private init(port: UInt16, process: Process) {
        self.port = port
        self.process = process
    }

    /// nil when python3-aiosmtpd is not installed.
    static func start() throws -> SinkServer? {
        guard FileManager.default.isExecutableFile(atPath: OutboxBenchmark.python),
              (try? spawnAndWait(OutboxBenchmark.python, ["-c", "import aiosmtpd"])) == 0
        else { return nil }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: OutboxBenchmark.python)
        process.arguments = ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Sink"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = SinkServer(port: port, process: process)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process.isRunning {
            if canConnect(port) { return server }
            usleep(30_000)
        }
        server.stop()
        throw BenchError("aiosmtpd did not accept connections on 127.0.0.1:\(port) within 10 s")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    private static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw BenchError("bind: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func canConnect(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
