import CustomerAggregate
import EventStore
import Foundation

/// The sessions table (`AccessTables.sessions`): only the SHA-256 of each session id is a key, so a copy of the
/// store (a backup, a stolen disk) holds no cookie that signs anyone in.
enum OperatorSessions {
    static func digest(ofSessionId id: String) -> [UInt8] { SHA256.hash(Array(id.utf8)) }

    static func record(_ digest: [UInt8], in reader: StoreReader) throws -> SessionRecord? {
        try reader.get(reader.table(AccessTables.sessions), digest) { SessionRecord.decode($0) } ?? nil
    }

    static func store(_ record: SessionRecord, _ digest: [UInt8], in writer: StoreWriter) throws {
        try writer.put(writer.table(AccessTables.sessions), digest, record.encoded)
    }

    static func remove(_ digest: [UInt8], in writer: StoreWriter) throws {
        _ = try writer.delete(writer.table(AccessTables.sessions), digest)
    }

    /// Ends every session of `name` (disable, password reset). Scans the table: it holds a few sessions per
    /// operator, and expired ones are swept at each sign-in.
    static func revokeAll(of name: String, in writer: StoreWriter) throws {
        try removeAll(in: writer) { $0?.operatorName == name }
    }

    /// Sweeps sessions that no longer admit requests (and unreadable ones).
    static func removeExpired(at now: Date, policy: SessionPolicy, in writer: StoreWriter) throws {
        try removeAll(in: writer) { record in record.map { !$0.isLive(at: now, policy: policy) } ?? true }
    }

    private static func removeAll(in writer: StoreWriter, where matches: (SessionRecord?) -> Bool) throws {
        let table = writer.table(AccessTables.sessions)
        var doomed: [[UInt8]] = []
        try writer.withCursor(table) { cursor in
            var more = try cursor.first()
            while more {
                if matches(SessionRecord.decode(cursor.value)) { doomed.append(Array(cursor.key)) }
                more = try cursor.next()
            }
        }
        for key in doomed { _ = try writer.delete(table, key) }
    }
}
