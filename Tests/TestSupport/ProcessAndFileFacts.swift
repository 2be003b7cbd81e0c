import Foundation

/// The permission bits of a file or folder (`0o600`, `0o700`, …).
public func permissionBits(of path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
}

/// The pid of a child that has exited and been reaped: no live process has it (until the system reuses it).
public func deadProcessID() throws -> pid_t {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

/// Resident memory of a running process in bytes (`VmRSS` of /proc/PID/status), 0 when it cannot be read.
public func residentBytes(of pid: pid_t) -> Int {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0) * 1024
}

/// Raises this process's soft limit on open descriptors (1 024 on many machines) to `count`, within the hard
/// limit, so that a thousand client sockets fit; child processes started afterwards inherit it.
public func allowDescriptors(_ count: rlim_t) throws {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { throw TestFailure("getrlimit: errno \(errno)") }
    guard limit.rlim_cur < count else { return }
    limit.rlim_cur = min(count, limit.rlim_max)
    guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur >= 1100 else {
        throw TestFailure("cannot open 1 000 sockets: the hard limit on descriptors is \(limit.rlim_max)")
    }
}
