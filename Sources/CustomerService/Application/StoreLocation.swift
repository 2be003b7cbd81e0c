import CustomerAggregate
import Foundation

/// Where a store lives, and the rules for opening it that every front end shares: a read never creates a store
/// (a read on a missing store is `StoreNotFound`); a store is created by its first successful write, so a create
/// on a missing store validates its input first, and bad input leaves no store behind.
public struct StoreLocation: Sendable {
    public let directory: URL
    /// How long a write waits for another process's writer (nil: as long as it takes).
    public var lockTimeout: TimeInterval?
    /// Told (with the other writer's pid when known) once a write has waited a second.
    public var onWaitingForWriter: (@Sendable (Int32?) -> Void)?

    public init(directory: URL, lockTimeout: TimeInterval? = nil, onWaitingForWriter: (@Sendable (Int32?) -> Void)? = nil) {
        self.directory = directory
        self.lockTimeout = lockTimeout
        self.onWaitingForWriter = onWaitingForWriter
    }

    /// Whether the folder holds a store (or what is left of one); an absent or empty folder does not.
    public var exists: Bool { CustomerService.storeExists(at: directory) }

    /// Opens the store as `access` says: a query opens it read-only (nothing is written, a read-only medium
    /// works), and neither a query nor an update creates a missing store.
    public func open(for access: StoreAccess, clock: @escaping @Sendable () -> Date = { Date() }) throws -> CustomerService {
        if access != .write && !exists { throw StoreNotFound(directory: directory) }
        return try CustomerService(
            directory: directory, clock: clock, access: access == .read ? .readOnly : .readWrite,
            lockTimeout: lockTimeout, onWaitingForWriter: onWaitingForWriter)
    }

    /// Opens the store to create `form`'s customer. With no store yet, the form is validated against a new
    /// store's settings first (default settings, no customers), so that a rejected first create creates nothing.
    public func openToCreate(_ form: CustomerForm, now: Date = Date()) throws -> CustomerService {
        if !exists {
            if case .failure(let error) = CustomerValidation.validate(
                form, settings: .defaults, today: CalendarDate(utcDayOf: now), emailAlreadyUsed: false) {
                throw error
            }
        }
        return try open(for: .write)
    }
}

public enum StoreAccess: Sendable {
    /// A query: the store must exist, and is opened read-only.
    case read
    /// Maintenance that writes but must not create a store (rebuild, outbox dispatch).
    case update
    /// A command: the store is created by its first write.
    case write
}

/// A query on a folder that holds no store.
public struct StoreNotFound: Error, Sendable, CustomStringConvertible {
    public let directory: URL

    public var description: String { "no store at \(directory.path): create a customer first" }
}

/// The store (or a file next to it) could not be used for what was asked: a failed backup, an unreadable input.
public struct StoreAccessError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
