import Foundation

/// A small tmpfs mounted on a folder (the tests run as root), for a full disk or a read-only folder that even root
/// cannot write. Unmount it in the test's teardown; `deinit` unmounts as a safety net.
public final class TinyFileSystem: @unchecked Sendable {
    public let mountPoint: URL
    private var mounted = false

    /// Mounts `size` bytes (rounded up to pages by the kernel) on `mountPoint`, created if missing.
    public init(at mountPoint: URL, size: Int, readOnly: Bool = false) throws {
        self.mountPoint = mountPoint
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let options = "size=\(size)" + (readOnly ? ",ro" : "")
        let result = try runProcess(URL(fileURLWithPath: "/bin/mount"), ["-t", "tmpfs", "-o", options, "tmpfs", mountPoint.path], timeout: 10)
        guard result.status == 0 else { throw TestFailure("mount tmpfs on \(mountPoint.path) failed: \(result.stderr)") }
        mounted = true
    }

    /// Fills the file system with one file until it has no space left.
    public func fill() throws {
        let handle = try FileHandle(forWritingTo: {
            let url = mountPoint.appendingPathComponent("filler")
            FileManager.default.createFile(atPath: url.path, contents: nil)
            return url
        }())
        defer { try? handle.close() }
        let chunk = Data(repeating: 0x61, count: 4_096)
        // Bounded: a tmpfs says ENOSPC at its size; the bound only guards against a mount that did not happen.
        for _ in 0..<100_000 where (try? handle.write(contentsOf: chunk)) != nil {}
    }

    public func unmount() {
        guard mounted else { return }
        _ = try? runProcess(URL(fileURLWithPath: "/bin/umount"), ["-l", mountPoint.path], timeout: 10)
        mounted = false
    }

    deinit { unmount() }
}
