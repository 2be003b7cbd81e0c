import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real SMTP server for the tests: Debian's python3-aiosmtpd on 127.0.0.1, storing every message it accepts in
/// a maildir. Call `stop()` when done.
///
/// `/usr/bin/python3` on purpose: `python3` on PATH may be a pyenv interpreter without the Debian package.
public final class AiosmtpdServer: Sendable {
    /// The interpreter that runs `-m aiosmtpd`.
    public static let python = "/usr/bin/python3"

    /// The port it listens on (127.0.0.1).
    public let port: UInt16
    /// The maildir the messages are stored in (`new/` holds them).
    public let maildir: URL
    /// What aiosmtpd printed, for diagnosing a failed test.
    public let logFile: URL
    private let process: Process

    private init(port: UInt16, maildir: URL, logFile: URL, process: Process) {
        self.port = port
        self.maildir = maildir
        self.logFile = logFile
        self.process = process
    }

    /// Starts the server on a free port, keeping its maildir and log under `directory` (created if missing), and
    /// waits (at most 10 s) until it accepts connections. `smtputf8` starts it with `--smtputf8`
    /// (`enable_SMTPUTF8`): its EHLO then offers SMTPUTF8 (RFC 6531) and it takes UTF-8 envelopes and headers;
    /// without it, it answers any non-ASCII command with `500 Error: strict ASCII mode`. Throws `TestFailure` with aiosmtpd's output when it
    /// does not come up, or with the install command when python3-aiosmtpd is missing.
    public static func start(in directory: URL, smtputf8: Bool = false) throws -> AiosmtpdServer {
        try checkInstalled()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastProblem = ""
        // The free port can be taken by someone else between our probe and aiosmtpd's bind: try a few.
        for attempt in 1...3 {
            let port = try TestSockets.freePort()
            let maildir = directory.appendingPathComponent("maildir-\(attempt)")
            let logFile = directory.appendingPathComponent("aiosmtpd-\(attempt).log")
            guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
                throw TestFailure("cannot create \(logFile.path)")
            }
            let log = try FileHandle(forWritingTo: logFile)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)"] + (smtputf8 ? ["--smtputf8"] : [])
                + ["-c", "aiosmtpd.handlers.Mailbox", maildir.path]
            process.standardOutput = log
            process.standardError = log
            try process.run()
            let server = AiosmtpdServer(port: port, maildir: maildir, logFile: logFile, process: process)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                if !process.isRunning { break }
                if TestSockets.canConnect(port: port) { return server }
                usleep(50_000)
            }
            lastProblem = process.isRunning
                ? "aiosmtpd did not accept connections on 127.0.0.1:\(port) within 10 s"
                : "aiosmtpd exited with status \(process.terminationStatus)"
            lastProblem += "; its output:\n" + ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")
            server.stop()
        }
        throw TestFailure(lastProblem)
    }

    private static func checkInstalled() throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestFailure("\(python) not found: the SMTP tests need Debian's python3 and python3-aiosmtpd "
                + "(apt-get install python3-aiosmtpd)")
        }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import aiosmtpd"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            throw TestFailure("the Python module aiosmtpd is missing for \(python): "
                + "install it with `apt-get install python3-aiosmtpd`")
        }
    }

    /// The raw bytes of the stored messages, in no particular order (maildir names do not sort by arrival):
    /// match on Message-ID. Empty when nothing has been stored yet.
    public func storedMessages() throws -> [[UInt8]] {
        let new = maildir.appendingPathComponent("new")
        guard FileManager.default.fileExists(atPath: new.path) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: new.path)
        return try names.map { Array(try Data(contentsOf: new.appendingPathComponent($0))) }
    }

    /// SIGTERM, then SIGKILL if it has not exited within 5 s; waits for the exit. Safe to call twice.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
