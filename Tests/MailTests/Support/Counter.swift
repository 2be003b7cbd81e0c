import Foundation

/// A thread-safe counter for scripts that run on a test server's thread.
///
/// `@unchecked Sendable`: `count` is only read and written with `lock` held.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// Increments and returns the new value (1 on the first call).
    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
