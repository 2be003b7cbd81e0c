import CompactCodec
import CustomerAggregate
import EventStore

/// The number of customers per status (`customer-list.counts`: status raw value → u64 BE), so that a page's
/// `total` costs two gets instead of a count over the index.
enum StatusCounters {
    static func count(_ status: CustomerStatus, tables: CustomerListTables, in reader: StoreReader) throws -> Int {
        Int(try reader.get(tables.counts, Array(status.rawValue.utf8)) { readBigEndianUInt64($0) } ?? 0)
    }

    static func add(_ delta: Int, to status: CustomerStatus, tables: CustomerListTables, in writer: StoreWriter) throws {
        guard delta != 0 else { return }
        let key = Array(status.rawValue.utf8)
        let current = Int(try writer.get(tables.counts, key) { readBigEndianUInt64($0) } ?? 0)
        let updated = max(0, current + delta)
        // A zero count is stored as no entry, so that the live table and a rebuild are equal byte for byte
        // whatever path led to zero (a rebuild never writes a counter it never incremented).
        if updated == 0 {
            try writer.delete(tables.counts, key)
        } else {
            try writer.put(tables.counts, key, BigEndianUInt64(UInt64(updated)))
        }
    }
}
