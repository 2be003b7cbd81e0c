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

    init(_ arguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("http-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        logFile = folder.appendingPathComponent("access.log")
        process = try RunningProcess(builtProduct("http-test-server"), ["--access-log", logFile.path] + arguments)
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
    var residentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
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
