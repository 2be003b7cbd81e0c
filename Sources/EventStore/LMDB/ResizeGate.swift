import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process-wide reader/writer lock in front of the environment.
///
/// `mdb_env_set_mapsize` may only be called while *this process* has no transaction open, read or write, and
/// LMDB does not check it. Every transaction holds the gate shared for its lifetime; growing the map holds it
/// exclusive.
final class ResizeGate: @unchecked Sendable {
    // Heap-allocated so the lock never moves (pthread primitives must not be copied).
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func lockShared() { pthread_rwlock_rdlock(lock) }
    func lockExclusive() { pthread_rwlock_wrlock(lock) }
    func unlock() { pthread_rwlock_unlock(lock) }
}

/// Which thread has a transaction of ours open. LMDB self-deadlocks when one thread begins a second write
/// transaction, and our resize gate would deadlock on nested transactions, so nesting is a programming error
/// that we report loudly instead of hanging (as GRDB does for reentrant `write`).
enum TransactionNesting {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static var isInsideTransaction: Bool { pthread_getspecific(key) != nil }

    static func enter(_ kind: String) {
        if isInsideTransaction {
            fatalError("customer-es: a \(kind) transaction was started inside another transaction on the same thread; use the transaction you already have")
        }
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
    }

    static func leave() { pthread_setspecific(key, nil) }
}
