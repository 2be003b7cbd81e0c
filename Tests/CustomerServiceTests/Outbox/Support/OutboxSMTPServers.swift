import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Copied and trimmed from Tests/MailTests/Support (test targets cannot share files): a real SMTP server
// (aiosmtpd), a scripted one for 4xx/5xx answers, and the plain sockets they need. Names carry an `Outbox` prefix
// so they cannot clash with other folders of this test target.

/// Debian's python3-aiosmtpd storing every message in a maildir: the real SMTP server of the outbox tests.
/// `/usr/bin/python3` on purpose: `python3` on PATH may be a pyenv interpreter without the Debian package.
final class OutboxAiosmtpd: @unchecked Sendable {
    static let python = "/usr/bin/python3"

    let port: UInt16
    let maildir: URL
    private let process: Process

    private init(port: UInt16, maildir: URL, process: Process) {
        self.port = port
        self.maildir = maildir
        self.process = process
    }

    /// Starts the server on a free port and waits (at most 10 s) until it accepts connections.
    static func start(in directory: URL) throws -> OutboxAiosmtpd {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw OutboxTestError("\(python) not found: the SMTP tests need python3-aiosmtpd (apt-get install python3-aiosmtpd)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastProblem = ""
        for attempt in 1...3 {  // the probed free port can be taken before aiosmtpd binds it
            let port = try OutboxTestSockets.freePort()
            let maildir = directory.appendingPathComponent("maildir-\(attempt)")
            let logFile = directory.appendingPathComponent("aiosmtpd-\(attempt).log")
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
            let log = try FileHandle(forWritingTo: logFile)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path]
            process.standardOutput = log
            process.standardError = log
            try process.run()
            let server = OutboxAiosmtpd(port: port, maildir: maildir, process: process)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, process.isRunning {
                if OutboxTestSockets.canConnect(port: port) { return server }
                usleep(30_000)
            }
            lastProblem = "aiosmtpd did not start on port \(port); its output:\n"
                + ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")
            server.stop()
        }
        throw OutboxTestError(lastProblem + "\n(is python3-aiosmtpd installed? apt-get install python3-aiosmtpd)")
    }

    /// The stored messages (maildir names do not sort by arrival: match on Message-ID).
    func storedMessages() throws -> [OutboxParsedMessage] {
        let new = maildir.appendingPathComponent("new")
        guard FileManager.default.fileExists(atPath: new.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: new.path).map {
            OutboxParsedMessage(Array(try Data(contentsOf: new.appendingPathComponent($0))))
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within 5 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A minimal SMTP server that answers the end of each message's data with a scripted reply (e.g. `451 …` or
/// `550 …`), one connection at a time on a background thread; it counts the messages it was offered.
final class OutboxScriptedSMTPServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let finalReply: @Sendable (Int) -> String
    private let lock = NSLock()
    private var offered = 0
    private var currentClient: Int32 = -1
    private let finished = DispatchSemaphore(value: 0)

    /// `finalReply(n)` answers the n-th message's data (1-based).
    init(finalReply: @escaping @Sendable (Int) -> String) throws {
        (listener, port) = try OutboxTestSockets.listener()
        self.finalReply = finalReply
        Thread { [self] in
            self.acceptLoop()
            self.finished.signal()
        }.start()
    }

    /// Messages whose data was received (whatever the reply).
    var messagesOffered: Int { lock.withLock { offered } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        lock.withLock { if currentClient >= 0 { shutdown(currentClient, Int32(SHUT_RDWR)) } }
        _ = finished.wait(timeout: .now() + 5)
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            var limit = timeval(tv_sec: 10, tv_usec: 0)
            _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            lock.withLock { currentClient = client }
            serve(client)
            lock.withLock { currentClient = -1 }
            close(client)
        }
    }

    private func serve(_ client: Int32) {
        var reader = OutboxLineReader(fd: client)
        OutboxTestSockets.sendAll(client, "220 scripted.test ESMTP\r\n")
        while let line = reader.nextLine() {
            let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
            switch verb {
            case "EHLO": OutboxTestSockets.sendAll(client, "250-scripted.test\r\n250 8BITMIME\r\n")
            case "DATA":
                OutboxTestSockets.sendAll(client, "354 go ahead\r\n")
                guard reader.skipDataBlock() else { return }
                let number = lock.withLock { offered += 1; return offered }
                OutboxTestSockets.sendAll(client, finalReply(number) + "\r\n")
            case "QUIT":
                OutboxTestSockets.sendAll(client, "221 bye\r\n")
                return
            default: OutboxTestSockets.sendAll(client, "250 OK\r\n")
            }
        }
    }
}

private struct OutboxLineReader {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    mutating func nextLine() -> String? {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[..<end].last == UInt8(ascii: "\r") ? buffer[..<(end - 1)] : buffer[..<end]
                let text = String(decoding: line, as: UTF8.self)
                buffer.removeFirst(end + 1)
                return text
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
        }
    }

    mutating func skipDataBlock() -> Bool {
        while let line = nextLine() { if line == "." { return true } }
        return false
    }
}

enum OutboxTestSockets {
    #if canImport(Glibc)
    static let stream = Int32(SOCK_STREAM.rawValue)
    static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    static let stream = SOCK_STREAM
    static let noSignal: Int32 = 0
    #endif

    static func listener() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, stream, 0)
        guard fd >= 0 else { throw OutboxTestError("socket: errno \(errno)") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw OutboxTestError("bind/listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw OutboxTestError("getsockname: errno \(errno)") }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A port that was free a moment ago (nothing listens on it once this returns).
    static func freePort() throws -> UInt16 {
        let (fd, port) = try listener()
        close(fd)
        return port
    }

    static func canConnect(port: UInt16) -> Bool {
        let fd = socket(AF_INET, stream, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func sendAll(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, noSignal) }
            guard written > 0 else { return }
            offset += written
        }
    }
}

struct OutboxTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
