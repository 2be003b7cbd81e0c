import EventStore

/// Which table set of a switchable projection is live, and the bookkeeping of a running rebuild.
///
/// Table `projection-state`:
/// - `active/<projection name>` → table-set suffix (UTF-8; absent = the unsuffixed set);
/// - `rebuild/run` → run id (16 bytes) ‖ position the shadow sets have reached (u64 BE).
///
/// A projection whose swap method is `.switchTableSet` reads `active/<name>` in every transaction (one small
/// get), so a rebuild goes live by rewriting that one value: no copy, no long write transaction.
public enum ActiveTableSet {
    public static let table = TableSpec("projection-state")

    static func activeKey(_ projection: String) -> [UInt8] { Array("active/\(projection)".utf8) }
    static let runKey = Array("rebuild/run".utf8)

    /// The suffix of the live table set of `projection` ("" until a rebuild switched it).
    public static func suffix(of projection: String, in reader: StoreReader) throws -> String {
        try reader.get(reader.table(Self.table), activeKey(projection)) { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func setSuffix(_ suffix: String, of projection: String, in writer: StoreWriter) throws {
        let table = writer.table(Self.table)
        if suffix.isEmpty {
            try writer.delete(table, activeKey(projection))
        } else {
            try writer.put(table, activeKey(projection), Array(suffix.utf8))
        }
    }
}
