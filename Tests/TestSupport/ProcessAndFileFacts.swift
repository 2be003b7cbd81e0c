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
