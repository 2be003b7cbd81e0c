import Foundation
import TestSupport
import XCTest

/// The `http-test-server` executable running as a child process on a free loopback port, with its access log in
/// a temporary file. Stopped (SIGTERM, then SIGKILL if it does not end) by `stop()` or at deinit.
final class TestHTTPServer {
    let port: UInt16
    let process: RunningProcess
    let logFile: URL
    private let folder: URL

    /// `descriptorLimit` starts the server under `ulimit -n` (through /bin/sh, which then becomes the server).
    init(_ arguments: [String] = [], descriptorLimit: Int? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("http-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        logFile = folder.appendingPathComponent("access.log")
        let server = builtProduct("http-test-server")
        let serverArguments = ["--access-log", logFile.path] + arguments
        if let descriptorLimit {
            process = try RunningProcess(
                URL(fileURLWithPath: "/bin/sh"),
                ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", server.path] + serverArguments)
        } else {
            process = try RunningProcess(server, serverArguments)
        }
        let deadline = Date().addingTimeInterval(10)
        var found: UInt16?
        while found == nil && Date() < deadline && process.process.isRunning {
            found = process.lines.first { $0.hasPrefix("listening ") }.flatMap { UInt16($0.dropFirst(10)) }
            if found == nil { usleep(10_000) }
        }
        guard let found else { throw TestFailure("http-test-server did not start listening") }
        port = found
    }

    var pid: Int32 { process.process.processIdentifier }

    /// Lines of the access log written so far.
    var accessLog: [String] {
        (try? String(contentsOf: logFile, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    /// Resident memory of the server process, from /proc.
    var residentBytes: Int { TestSupport.residentBytes(of: pid) }

    /// CPU time the server has used so far (user + system), in clock ticks of 1/100 s.
    var cpuTicks: Int {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    var threadCount: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") } ?? ""
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last ?? "") ?? 0
    }

    func connect() throws -> RawHTTPConnection { try RawHTTPConnection(port: port) }

    /// SIGTERM, then the exit status (nil if it had to be killed after `timeout`).
    @discardableResult
    func stop(timeout: TimeInterval = 10) -> Int32? {
        guard process.process.isRunning else { return process.process.terminationStatus }
        kill(pid, SIGTERM)
        if let status = process.waitForExit(timeout: timeout) { return status }
        process.kill9()
        return nil
    }

    deinit {
        if process.process.isRunning { process.kill9() }
        try? FileManager.default.removeItem(at: folder)
    }
}
