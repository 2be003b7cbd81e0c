import Foundation

/// Reported after every committed chunk of a rebuild or verify.
public struct RebuildProgress: Sendable, Equatable {
    /// Log positions replayed so far.
    public var processed: UInt64
    /// The head of the log when this chunk was read (it grows while others append).
    public var total: UInt64
    public var eventsPerSecond: Double
    /// Estimated time left; nil until a rate is known.
    public var eta: TimeInterval?
    /// True for the last report, once the rebuilt tables are live (or compared, for verify).
    public var isFinished: Bool
    /// True once the work reported is committed: a rebuild killed from now on resumes from here.
    public var isResumable: Bool

    public init(
        processed: UInt64, total: UInt64, eventsPerSecond: Double, eta: TimeInterval?, isFinished: Bool, isResumable: Bool = false
    ) {
        self.processed = processed
        self.total = total
        self.eventsPerSecond = eventsPerSecond
        self.eta = eta
        self.isFinished = isFinished
        self.isResumable = isResumable
    }
}

/// What a finished rebuild did.
public struct RebuildReport: Sendable, Equatable {
    /// The log position the live projections now reflect.
    public var position: UInt64
    public var eventsReplayed: UInt64
    public var duration: TimeInterval
    public var eventsPerSecond: Double
    public var projections: [String]
    /// Whether it took over the shadows of a rebuild that was killed (or superseded) midway.
    public var resumed = false
}

/// What `verify` found: the live projections against a fresh rebuild at the same log position.
public struct VerifyReport: Sendable, Equatable {
    public var position: UInt64
    public var eventsReplayed: UInt64
    public var duration: TimeInterval
    /// The first `ProjectionRebuilder.maximumReportedDifferences` differences, in table and key order.
    public var differences: [ProjectionDifference]
    /// All differences, including those not listed.
    public var differenceCount: Int
    /// Whether it took over the shadows of a rebuild that was killed (or superseded) midway.
    public var resumed = false

    public var isConsistent: Bool { differenceCount == 0 }
}

/// One entry where the live projection and the rebuild disagree.
public struct ProjectionDifference: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The rebuild has this entry, the live table does not.
        case missing
        /// The live table has this entry, the rebuild does not.
        case extra
        /// Same key, other value.
        case different
    }

    public var projection: String
    /// The live table's name.
    public var table: String
    public var key: [UInt8]
    public var kind: Kind
    public var liveValue: [UInt8]?
    public var rebuiltValue: [UInt8]?

    /// The key with printable ASCII as text and other bytes as `\xNN`.
    public var readableKey: String {
        key.map { byte in
            (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "\\")
                ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }.joined()
    }

    public var description: String { "\(table) [\(readableKey)]: \(kind.rawValue)" }

    public init(projection: String, table: String, key: [UInt8], kind: Kind, liveValue: [UInt8]?, rebuiltValue: [UInt8]?) {
        self.projection = projection
        self.table = table
        self.key = key
        self.kind = kind
        self.liveValue = liveValue
        self.rebuiltValue = rebuiltValue
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
