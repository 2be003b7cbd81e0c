import Foundation
import Synchronization

/// A shared `flock` on `<store>/lock.mdb` that every process holds while it has the store open, so that
/// compaction (which swaps `data.mdb` for a rewritten file) can tell whether anyone else maps the old one: it
/// takes the lock exclusively, without waiting, and refuses when it cannot. `flock` locks are independent of
/// the POSIX record locks LMDB keeps on the same file. The descriptor is never closed (closing any descriptor
/// of `lock.mdb` would drop LMDB's own record locks of this process), one per store per process.
final class OpenLock: Sendable {
    let path: String
    private let descriptor: Int32
    private let exclusive = Mutex(false)

    private static let registry = Mutex<[String: OpenLock]>([:])

    /// The process's lock for the store in `directory`, taken shared (waiting while a compaction runs), or nil
    /// when the store has no `lock.mdb` (a store on a read-only medium).
    static func shared(inFolder directory: String) -> OpenLock? {
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        return registry.withLock { registry in
            if let existing = registry[resolved] { return existing }
            let path = resolved + "/" + StoreFolder.lockFile
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            while flock(descriptor, LOCK_SH) != 0 && errno == EINTR {}
            let lock = OpenLock(path: path, descriptor: descriptor)
            registry[resolved] = lock
            return lock
        }
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Back to shared after `tryExclusive()`: other processes waiting to open the store go on.
    func releaseExclusive() {
        exclusive.withLock { held in
            guard held else { return }
            while flock(descriptor, LOCK_SH) != 0 && errno == EINTR {}
            held = false
        }
    }

    /// True when no other process has the store open; from then on they wait to open it until this process exits
    /// (or, after `releaseExclusive()`, until then).
    func tryExclusive() -> Bool {
        exclusive.withLock { held in
            if held { return true }
            held = flock(descriptor, LOCK_EX | LOCK_NB) == 0
            if !held { _ = flock(descriptor, LOCK_SH) }
            return held
        }
    }
}
