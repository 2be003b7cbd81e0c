import Foundation

/// Prints `key: value` lines as the suites produce them.
func report(_ key: String, _ value: String) {
    FileHandle.standardOutput.write(Data("\(key): \(value)\n".utf8))
}

func report(_ key: String, _ value: Double, decimals: Int = 0) {
    report(key, String(format: "%.\(decimals)f", value))
}

/// Monotonic seconds.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU seconds the calling thread has used (user and system).
func threadCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))
    return sorted[index]
}

/// A scratch folder for one suite under `$BENCH_DIR` (default: the temporary folder), removed afterwards
/// unless `$BENCH_KEEP` is set.
func scratchFolder(_ name: String) -> URL {
    let base = ProcessInfo.processInfo.environment["BENCH_DIR"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.temporaryDirectory
    let url = base.appendingPathComponent("customer-es-bench-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func removeScratch(_ url: URL) {
    if ProcessInfo.processInfo.environment["BENCH_KEEP"] == nil { try? FileManager.default.removeItem(at: url) }
}

/// Runs a program to completion (stdout to /dev/null) and returns its exit status.
func spawnAndWait(_ path: String, _ arguments: [String]) throws -> Int32 {
    try ChildProcess(path, arguments, keepOutput: false).wait().status
}

func folderSize(_ url: URL) -> Int {
    let files = (try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: [.fileSizeKey])) ?? []
    return files.reduce(0) { total, file in
        total + ((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
    }
}

/// The `customer-es` built beside this benchmark (same configuration, same flags), if there is one.
func builtCLI() -> String? {
    let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("customer-es").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}

/// This process's I/O counters (`/proc/self/io`; zero where there is none).
struct ProcessIO {
    /// `wchar`: bytes passed to write-like system calls (LMDB writes each dirty page of a commit once).
    var writtenBytes = 0

    static func current() -> ProcessIO {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return ProcessIO() }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return ProcessIO(writtenBytes: Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0)
        }
        return ProcessIO()
    }
}
