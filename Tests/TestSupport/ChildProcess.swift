import Foundation

/// The folder holding the package's built products (the executables next to the test bundle).
public var productsDirectory: URL {
    let bundle = Bundle.main.bundleURL
    if bundle.pathExtension == "xctest" { return bundle.deletingLastPathComponent() }
    return bundle
}

/// The path of an executable product built alongside the tests (`swift test` builds them all).
public func builtProduct(_ name: String) -> URL {
    productsDirectory.appendingPathComponent(name)
}

/// The outcome of a finished process.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs `executable` to completion (bounded by `timeout`, then killed) and captures its output.
@discardableResult
public func runProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
    timeout: TimeInterval = 60
) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    // Read both pipes concurrently so that a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    let buffers = OutputBuffers()
    group.enter()
    DispatchQueue.global().async {
        buffers.setOut(out.fileHandleForReading.readDataToEndOfFile())
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        buffers.setErr(err.fileHandleForReading.readDataToEndOfFile())
        group.leave()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(2_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    group.wait()
    return ProcessOutput(
        status: process.terminationStatus,
        stdout: String(decoding: buffers.out, as: UTF8.self),
        stderr: String(decoding: buffers.err, as: UTF8.self))
}

final class OutputBuffers: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var out = Data()
    private(set) var err = Data()
    func setOut(_ data: Data) { lock.lock(); out = data; lock.unlock() }
    func setErr(_ data: Data) { lock.lock(); err = data; lock.unlock() }
}

/// A child process whose stdout lines are collected while it runs (for kill -9 tests).
public final class RunningProcess: @unchecked Sendable {
    public let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private let pipe = Pipe()

    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.buffer.append(data)
            self.lock.unlock()
        }
        try process.run()
    }

    /// Complete lines printed so far.
    public var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        let text = String(decoding: buffer, as: UTF8.self)
        var parts = text.components(separatedBy: "\n")
        parts.removeLast()  // an incomplete last line is not a report yet
        return parts
    }

    public func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        pipe.fileHandleForReading.readabilityHandler = nil
        // Drain what the child wrote before it died.
        let rest = pipe.fileHandleForReading.readDataToEndOfFile()
        lock.lock()
        buffer.append(rest)
        lock.unlock()
    }

    public func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { return nil }
        process.waitUntilExit()
        pipe.fileHandleForReading.readabilityHandler = nil
        let rest = pipe.fileHandleForReading.readDataToEndOfFile()
        lock.lock()
        buffer.append(rest)
        lock.unlock()
        return process.terminationStatus
    }
}
