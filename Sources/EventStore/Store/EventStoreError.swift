import Foundation

/// Everything the event store can refuse, each with enough context to act on.
public enum EventStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidStreamName(String, reason: String)
    case wrongExpectedVersion(stream: StreamName, expected: ExpectedVersion, actual: UInt64)
    case invalidEvent(String)
    case payloadTooLarge(type: String, bytes: Int, limit: Int)
    case unsupportedFormat(found: UInt32, supported: UInt32, path: String)
    case notAStore(path: String, reason: String)
    case corruptEvent(position: UInt64, reason: String)
    case storage(LMDBError)
    /// A read found no store there (only a write creates one).
    case noStore(path: String)
    /// The folder holds traces of a store (a key, a lock file, mail, a data file) but no sound event log.
    case damaged(path: String, reason: String)
    /// A file or folder of the store that someone else owns or may write: its contents cannot be trusted.
    case unsafePermissions(path: String, problem: String, fix: String)
    /// Another writer held the store's writer lock for longer than the caller was willing to wait.
    case writerBusy(path: String, waitedSeconds: Double, holderPID: Int32?)
    /// A commit failed because the device holding the store is full.
    case noSpace(path: String, freeBytes: UInt64)
    /// A write through a store opened read-only.
    case readOnly(path: String)
    /// A system call on a store file failed.
    case fileSystem(operation: String, path: String, errno: Int32)
    /// Compaction needs the store to itself, and another process has it open.
    case inUseByAnotherProcess(path: String)
    /// This process compacted the store: its environment maps the replaced file and must not be used again.
    case compactedAway(path: String)

    /// What a store looks like for a moment while another writer creates it (damaged, or an unmarked
    /// environment): worth judging again once that writer is done.
    var mayBeACreationInProgress: Bool {
        switch self {
        case .damaged, .notAStore, .noStore: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case let .invalidStreamName(name, reason):
            return "invalid stream name \(name): \(reason)"
        case let .wrongExpectedVersion(stream, expected, actual):
            let actualText = actual == 0 ? "it does not exist" : "it is at version \(actual)"
            return "stream \(stream) was expected at \(expected), but \(actualText): someone else wrote to it first; reload and retry"
        case let .invalidEvent(reason):
            return "invalid event: \(reason)"
        case let .payloadTooLarge(type, bytes, limit):
            return "event \(type) has a \(bytes)-byte payload; the limit is \(limit) bytes"
        case let .unsupportedFormat(found, supported, path):
            return "the store at \(path) has format version \(found), but this customer-es understands up to version \(supported): upgrade customer-es to open it"
        case let .notAStore(path, reason):
            return "\(path) is not a customer-es store: \(reason)"
        case let .corruptEvent(position, reason):
            return "event at position \(position) cannot be decoded: \(reason)"
        case let .storage(error):
            return "storage error: \(error)"
        case let .noStore(path):
            return "there is no store at \(path) yet (a store is created by its first write)"
        case let .damaged(path, reason):
            return "the store at \(path) is damaged or incomplete: \(reason); restore it from a backup"
        case let .unsafePermissions(path, problem, fix):
            return "refusing to use \(path): \(problem); \(fix)"
        case let .writerBusy(path, waited, holder):
            let who = holder.map { "another writer (pid \($0))" } ?? "another writer"
            return "\(who) kept the store at \(path) locked for more than \(Self.seconds(waited)): nothing was written; retry later, or stop that process"
        case let .noSpace(path, free):
            return "no space left on the device holding the store at \(path) (\(free) bytes free): nothing was written; free some space and retry"
        case let .readOnly(path):
            return "the store at \(path) was opened for reading only"
        case let .fileSystem(operation, path, code):
            return "\(operation) \(path) failed: \(String(cString: strerror(code)))"
        case let .inUseByAnotherProcess(path):
            return "another process (e.g. a running serve) has the store at \(path) open, so it cannot be compacted now"
        case let .compactedAway(path):
            return "the store at \(path) was compacted by this process; open it again"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
