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
        }
    }
}
