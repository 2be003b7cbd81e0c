import Foundation
import Synchronization

/// The advisory lock (`<store>/writer.lock`, `flock`) that every customer-es writer takes before it begins an
/// LMDB write transaction. LMDB's own writer lock waits without a timeout and says nothing; this one is taken
/// by polling, so that a writer can report after a second that it waits (and for whom: the holder writes its
/// pid into the file) and give up after `--lock-timeout`. The kernel releases it when its holder dies, even by
/// kill -9. Threads of one process share one instance per folder and serialize on its mutex first (a `flock`
/// does not exclude a second thread using the same descriptor).
final class WriterLock: Sendable {
    let path: String
    private let descriptor: Int32

    /// This process's pid, right-aligned in 10 characters and a newline: what the holder writes into the file.
    private static let pidRecord: [UInt8] = {
        let digits = String(getpid())
        return Array((String(repeating: " ", count: max(0, 10 - digits.count)) + digits + "\n").utf8)
    }()

    /// How long a writer waits silently before `onWaiting` is called.
    static let quietWait: TimeInterval = 1

    private static let registry = Mutex<[String: WeakWriterLock]>([:])

    /// The process's lock for the store folder `directory` (created 0600 if missing).
    /// Keyed by the resolved path: two spellings of one folder must share one descriptor, or the process would
    /// lock itself out.
    static func forFolder(_ directory: String) throws -> WriterLock {
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        return try registry.withLock { registry in
            if let existing = registry[resolved]?.lock { return existing }
            let lock = try WriterLock(path: resolved + "/" + StoreFolder.writerLockFile)
            registry[resolved] = WeakWriterLock(lock: lock)
            return lock
        }
    }

    private init(path: String) throws {
        self.path = path
        var descriptor: Int32
        repeat { descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { throw EventStoreError.fileSystem(operation: "open", path: path, errno: errno) }
        fchmod(descriptor, 0o600)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Takes the lock, waiting at most `timeout` (forever when nil); calls `onWaiting` once, with the holder's pid
    /// when known, after `quietWait`. Throws `.writerBusy` when the time is up.
    func acquire(timeout: TimeInterval?, onWaiting: (@Sendable (Int32?) -> Void)?) throws {
        mutexLock()
        let start = Date()
        var told = false
        var pause: useconds_t = 500
        var marked = false
        defer { if marked { markWaiting(false) } }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK else {
                mutexUnlock()
                throw EventStoreError.fileSystem(operation: "flock", path: path, errno: code)
            }
            if !marked {
                marked = true
                markWaiting(true)
            }
            let waited = Date().timeIntervalSince(start)
            if let timeout, waited >= timeout {
                mutexUnlock()
                throw EventStoreError.writerBusy(path: URL(fileURLWithPath: path).deletingLastPathComponent().path, waitedSeconds: timeout, holderPID: holderPID())
            }
            if !told, waited >= Self.quietWait {
                told = true
                onWaiting?(holderPID())
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
        // Fixed width, so one small write replaces the previous holder's pid (no truncate per transaction).
        _ = Self.pidRecord.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        mutexUnlock()
    }

    /// Called between two write transactions by a writer that takes many in a row (a rebuild, an import): when
    /// a writer of another process waits, lets it go first — returns once no writer waits any more, or after
    /// `limit`. Without this, the polling waiter would rarely find the lock free in the microseconds between
    /// two transactions of the busy one, and would wait for all of them.
    func yieldToWaitingWriters(limit: TimeInterval) {
        guard othersWait() else { return }
        let deadline = Date().addingTimeInterval(limit)
        var pause: useconds_t = 100
        while othersWait() && Date() < deadline {
            usleep(pause)
            pause = min(pause * 2, 1_000)
        }
    }

    // Waiting writers hold a read lock on one byte of the file (an open file description lock, independent of
    // the flock, released by the kernel when they exit) from their first failed try until they have the lock.
    private static let waitingByte: off_t = 64
    #if os(Linux)
    private static let setLock: Int32 = 37  // F_OFD_SETLK
    private static let getLock: Int32 = 36  // F_OFD_GETLK
    #else
    private static let setLock = F_SETLK
    private static let getLock = F_GETLK
    #endif

    private func markWaiting(_ waiting: Bool) {
        var range = Self.waitingRange(type: waiting ? F_RDLCK : F_UNLCK)
        _ = fcntl(descriptor, Self.setLock, &range)
    }

    private func othersWait() -> Bool {
        var range = Self.waitingRange(type: F_WRLCK)
        return fcntl(descriptor, Self.getLock, &range) == 0 && range.l_type != Int16(F_UNLCK)
    }

    private static func waitingRange(type: Int32) -> flock {
        var range = flock()
        range.l_type = Int16(type)
        range.l_whence = Int16(SEEK_SET)
        range.l_start = waitingByte
        range.l_len = 1
        return range
    }

    /// The pid the current holder wrote into the file, if it is a live process.
    private func holderPID() -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        guard count > 0, let pid = Int32(String(decoding: bytes[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              pid > 0, kill(pid, 0) == 0 || errno == EPERM
        else { return nil }
        return pid
    }

    // A `Mutex` cannot be held across calls; a semaphore can.
    private let gate = DispatchSemaphore(value: 1)
    private func mutexLock() { gate.wait() }
    private func mutexUnlock() { gate.signal() }
}

private struct WeakWriterLock {
    weak var lock: WriterLock?
}
