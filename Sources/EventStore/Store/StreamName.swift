/// The name of a stream, e.g. `customer-5f0c…` or `settings`.
///
/// Names go into an LMDB key, so they are 1–511 bytes of UTF-8 (LMDB's key limit), and contain no control
/// characters (so that they print safely). Never put personal data in a stream name: keys are visible to
/// anyone with `mdb_dump`, and a log is kept forever.
public struct StreamName: Hashable, Sendable, CustomStringConvertible, Comparable {
    public static let maxByteCount = 511

    public let rawValue: String

    public init(_ rawValue: String) throws(EventStoreError) {
        let count = rawValue.utf8.count
        guard count > 0 else {
            throw .invalidStreamName(rawValue, reason: "a stream name must not be empty")
        }
        guard count <= Self.maxByteCount else {
            throw .invalidStreamName(
                String(rawValue.prefix(40)) + "…",
                reason: "a stream name is at most \(Self.maxByteCount) bytes of UTF-8 (LMDB's key limit), this one has \(count)")
        }
        // Printable ASCII has no control character; only other names pay for looking up Unicode properties (which
        // costs more than the append of a small event).
        let isPrintableASCII = rawValue.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        guard isPrintableASCII || !rawValue.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidStreamName(rawValue.debugDescription, reason: "a stream name must not contain control characters")
        }
        self.rawValue = rawValue
    }

    /// For names read back from the log (already validated when written).
    init(unchecked rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the writer believes the stream's current version is; the append fails if the belief is wrong.
/// Versions count from 1; a stream without events is at version 0.
public enum ExpectedVersion: Sendable, Equatable, CustomStringConvertible {
    /// No check (the stream may or may not exist).
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have exactly this version.
    case exact(UInt64)

    public var description: String {
        switch self {
        case .any: return "any"
        case .noStream: return "no stream"
        case .exact(let version): return "version \(version)"
        }
    }
}
