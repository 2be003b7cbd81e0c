import CLMDB
import Foundation

/// The description of a named LMDB database ("table"), opened once when the environment opens.
public struct TableSpec: Hashable, Sendable {
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Several sorted values per key (each value at most 511 bytes).
        public static let duplicateSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// With `duplicateSort`: all values of a key have the same size (compact posting lists).
        public static let duplicateFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
    }

    public let name: String
    public let flags: Flags

    public init(_ name: String, flags: Flags = []) {
        self.name = name
        self.flags = flags
    }

    /// The same table under the name with `suffix` appended: a second table set, or a rebuild's shadow.
    public func withSuffix(_ suffix: String) -> TableSpec {
        TableSpec(name + suffix, flags: flags)
    }
}

/// An opened named database. Only valid in the environment that opened it.
public struct Table: Hashable, Sendable {
    public let name: String
    let dbi: MDB_dbi
    public let flags: TableSpec.Flags

    /// The handle of a declared table that a read-only environment does not hold (a store written before the
    /// table existed): it reads as empty, and nothing can write to a read-only environment.
    static let absentDBI = MDB_dbi.max
    public var isAbsent: Bool { dbi == Self.absentDBI }
}
