import CLMDB
import Foundation

/// An LMDB call that failed: which `mdb_*` function, LMDB's return code, LMDB's own message, and what we were doing.
///
/// `Code` is a struct over the raw return value (not an exhaustive enum) so that a code LMDB adds later does not
/// break callers; the cases callers must handle are named as static members. Match them with
/// `catch let error as LMDBError where error.code == .mapFull`.
public struct LMDBError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let keyExists = Code(rawValue: MDB_KEYEXIST)
        public static let notFound = Code(rawValue: MDB_NOTFOUND)
        public static let mapFull = Code(rawValue: MDB_MAP_FULL)
        public static let readersFull = Code(rawValue: MDB_READERS_FULL)
        public static let transactionFull = Code(rawValue: MDB_TXN_FULL)
        public static let mapResized = Code(rawValue: MDB_MAP_RESIZED)
        public static let badValueSize = Code(rawValue: MDB_BAD_VALSIZE)
        public static let badTransaction = Code(rawValue: MDB_BAD_TXN)
        public static let incompatible = Code(rawValue: MDB_INCOMPATIBLE)
        public static let invalid = Code(rawValue: MDB_INVALID)
        public static let versionMismatch = Code(rawValue: MDB_VERSION_MISMATCH)
        public static let corrupted = Code(rawValue: MDB_CORRUPTED)
        public static let noSpace = Code(rawValue: ENOSPC)
        public static let accessDenied = Code(rawValue: EACCES)
        public static let noSuchFile = Code(rawValue: ENOENT)

        public var description: String { String(cString: mdb_strerror(rawValue)) }
    }

    public let code: Code
    /// The `mdb_*` function that returned the code.
    public let function: String
    /// What the caller was doing, e.g. the path or the table, so that the message stands on its own.
    public let context: String

    init(code: Int32, function: String, context: String = "") {
        self.code = Code(rawValue: code)
        self.function = function
        self.context = context
    }

    public var description: String {
        let what = context.isEmpty ? function : "\(function) (\(context))"
        return "\(what) failed: \(code.description)\(Self.advice(for: code))"
    }

    private static func advice(for code: Code) -> String {
        switch code {
        case .readersFull: return "; too many open readers: stale slots were cleared, retry, or close idle processes"
        case .noSpace: return "; the disk is full: free space and retry"
        case .accessDenied: return "; check the permissions of the store folder"
        case .transactionFull: return "; the transaction is too large: write in smaller batches"
        case .versionMismatch, .invalid: return "; this is not an LMDB store of a supported version"
        default: return ""
        }
    }
}

/// Turns an `mdb_*` return code into a thrown `LMDBError`.
@inline(__always)
func check(_ returnCode: Int32, _ function: @autoclosure () -> String, _ context: @autoclosure () -> String = "") throws(LMDBError) {
    if returnCode != MDB_SUCCESS {
        throw LMDBError(code: returnCode, function: function(), context: context())
    }
}
