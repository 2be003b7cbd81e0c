import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny SMTP server on 127.0.0.1 for the answers a real server cannot give on demand: 4xx/5xx at chosen steps,
/// EHLO rejected, silence, dropped connections. It serves one connection at a time on a background thread (or each
/// on its own thread, `concurrent: true`) and records every command and every message it receives. Call `stop()`
/// when done.
///
/// `@unchecked Sendable`: the listening descriptor and `script` are immutable after init; `log`, `received`,
/// `connectionCount` and `openClients` are only touched with `lock` held.
public final class ScriptedSMTPServer: @unchecked Sendable {
    /// What the server does in answer to a command.
    public enum Response: Sendable {
        /// Send this reply; multi-line replies contain "\r\n" between lines. CRLF is appended.
        case reply(String)
        /// Send this reply, then close the connection (e.g. 421).
        case replyAndHangUp(String)
        /// Close the connection without a word.
        case hangUp
        /// Say nothing (lets the client time out).
        case silence
    }

    /// Decides the answer to a command (upper-cased verb first, e.g. "RCPT TO:<x@y>"), to the greeting
    /// ("<CONNECT>") and to the end of message data ("<DATA-END>"); nil means "the normal answer". `connection`
    /// counts from 1. Runs on the server's thread.
    public typealias Script = @Sendable (_ command: String, _ connection: Int) -> Response?

    /// The port it listens on (127.0.0.1).
    public let port: UInt16
    private let listener: Int32
    private let script: Script
    private let lock = NSLock()
    private var log: [String] = []
    private var received: [String] = []
    private var connectionCount = 0
    private var openClients: Set<Int32> = []
    private let concurrent: Bool
    private let finished = DispatchSemaphore(value: 0)

    /// Starts listening on a free port; `script` overrides the normal answers where it returns a response.
    public init(concurrent: Bool = false, script: @escaping Script = { _, _ in nil }) throws {
        (listener, port) = try TestSockets.listener()
        self.script = script
        self.concurrent = concurrent
        let thread = Thread { [self] in
            self.acceptLoop()
            self.finished.signal()
        }
        thread.start()
    }

    /// A server that answers everything normally except the end of each message's data, which `dataReply`
    /// answers given the message's number (1-based, counted over all connections), e.g. `451 …` or `550 …`.
    public convenience init(dataReply: @escaping @Sendable (_ message: Int) -> String) throws {
        let messageNumbers = ThreadSafeCounter()
        try self.init { command, _ in
            command == "<DATA-END>" ? .reply(dataReply(messageNumbers.next())) : nil
        }
    }

    /// Every command received, in order; each connection starts with "<CONNECT n>", each message's data ends
    /// with "<DATA-END>".
    public var commands: [String] { lock.withLock { log } }
    /// The DATA content of each message received (whatever the reply), dot-stuffing still applied, terminator
    /// removed, lines joined with CRLF.
    public var messages: [String] { lock.withLock { received } }
    /// How many connections were accepted.
    public var connections: Int { lock.withLock { connectionCount } }

    /// Stops listening, cuts the current connection and waits (at most 5 s) for the server thread to end.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        lock.withLock {
            for client in openClients { shutdown(client, Int32(SHUT_RDWR)) }
        }
        _ = finished.wait(timeout: .now() + 5)
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            // A safety net: a client that goes quiet cannot keep this thread (and the test) waiting forever.
            var limit = timeval(tv_sec: 10, tv_usec: 0)
            _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            let number = lock.withLock {
                connectionCount += 1
                openClients.insert(client)
                log.append("<CONNECT \(connectionCount)>")
                return connectionCount
            }
            let session: @Sendable () -> Void = { [self] in
                self.serve(client, connection: number)
                self.lock.withLock { _ = self.openClients.remove(client) }
                close(client)
            }
            if concurrent { Thread.detachNewThread(session) } else { session() }
        }
    }

    private func serve(_ client: Int32, connection: Int) {
        var reader = LineReader(fd: client)
        guard respond(script("<CONNECT>", connection) ?? .reply("220 scripted.test ESMTP ready"), to: client) else {
            return
        }
        while let line = reader.nextLine() {
            lock.withLock { log.append(line) }
            let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
            let standard: Response
            switch verb {
            case "EHLO": standard = .reply("250-scripted.test greets you\r\n250-8BITMIME\r\n250 HELP")
            case "HELO": standard = .reply("250 scripted.test")
            case "DATA": standard = .reply("354 End data with <CR><LF>.<CR><LF>")
            case "QUIT": standard = .reply("221 Bye")
            default: standard = .reply("250 OK")
            }
            let response = script(line, connection) ?? standard
            guard respond(response, to: client) else { return }
            if verb == "QUIT" { return }
            if verb == "DATA", case .reply(let text) = response, text.hasPrefix("354") {
                guard let content = reader.dataBlock() else { return }
                lock.withLock {
                    received.append(content)
                    log.append("<DATA-END>")
                }
                guard respond(script("<DATA-END>", connection) ?? .reply("250 2.0.0 Ok: queued as SCRIPTED"), to: client)
                else { return }
            }
        }
    }

    /// Returns false when the connection should end.
    private func respond(_ response: Response, to client: Int32) -> Bool {
        switch response {
        case .reply(let text):
            TestSockets.sendAll(client, text + "\r\n")
            return true
        case .replyAndHangUp(let text):
            TestSockets.sendAll(client, text + "\r\n")
            return false
        case .hangUp:
            return false
        case .silence:
            // Wait until the client gives up and closes (recv returns 0) or the receive timeout fires.
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {}
            return false
        }
    }
}

/// Reads CRLF-terminated lines from a blocking socket.
private struct LineReader {
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

    /// Lines up to the lone "." line, joined with CRLF; nil when the connection ends first.
    mutating func dataBlock() -> String? {
        var lines: [String] = []
        while let line = nextLine() {
            if line == "." { return lines.joined(separator: "\r\n") }
            lines.append(line)
        }
        return nil
    }
}
