import Foundation

/// A counter that may be bumped from any thread, e.g. by a `ScriptedSMTPServer` script running on the server's
/// thread while the test reads it.
///
/// `@unchecked Sendable`: `count` is only read and written with `lock` held.
public final class ThreadSafeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    public init() {}

    /// Increments and returns the new value (1 on the first call).
    public func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
