import CompactCodec
import CustomerAggregate
import EventStore

/// The number of customers per status, derived rather than stored: every customer has a row, and the rows
/// table's entry count is O(1) (`mdb_stat`); a Verified customer has its bit set in the status bitmap
/// (`StatusBits`, 1 KB per 8192 log positions), so Verified is a popcount of ~300 KB at a million customers and
/// Unverified the rest. So a create or a verification rewrites no counter page (list format 4; sets of older
/// formats kept `customer-list.counts`, which their first write in format 4 empties).
enum StatusCounters {
    /// How many customers have one of `statuses` (every customer for all of them).
    static func count(_ statuses: [CustomerStatus], tables: CustomerListTables, in reader: StoreReader) throws -> Int {
        let all = Set(statuses)
        if all.isEmpty { return 0 }
        let rows = try reader.count(tables.rows)
        if all.count == CustomerStatus.allCases.count { return rows }
        let verified = try StatusBits.verifiedCount(tables: tables, in: reader)
        return all.contains(.verified) ? verified : max(0, rows - verified)
    }
}
