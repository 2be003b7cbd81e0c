import CustomerAggregate
import CompactCodec
import EventStore

/// Applies one `CustomerEdited` to a table set of the customer list: the row gets the new profile, the name
/// order keys move, the search index follows the new text. Status, counters and status bits do not change.
enum CustomerListEdit {
    static func apply(_ edited: CustomerEdited, stream: StreamName, tables: CustomerListTables, in writer: StoreWriter) throws {
        try replaceProfile(of: stream, tables: tables, in: writer) { edited.applied(to: $0) }
    }

    /// A `CustomerForgotten`: the row stays (reference, status, times) with the erased profile, so its name and
    /// email keys and its search postings other than the reference's leave the indexes. A rebuild reads the
    /// customer's events already blanked, so it arrives at the same row and keys.
    static func erase(stream: StreamName, tables: CustomerListTables, in writer: StoreWriter) throws {
        try replaceProfile(of: stream, tables: tables, in: writer) { $0.withoutPersonalData }
    }

    private static func replaceProfile(
        of stream: StreamName, tables: CustomerListTables, in writer: StoreWriter,
        _ change: (CustomerProfile) -> CustomerProfile
    ) throws {
        guard let sequence = try CustomerListView.creationSequence(of: stream, in: writer),
              var row = try CustomerListView.row(at: sequence, tables: tables, in: writer)
        else { return }
        let profile = change(row.profile)
        guard profile != row.profile else { return }  // already applied (a replayed event)
        let old = FoldedRow(row)
        row.profile = profile
        let new = FoldedRow(row)
        try writer.put(tables.rows, BigEndianUInt64(sequence), CustomerRowCodec.encode(row))
        for (oldKey, newKey) in zip(old.orderKeys(status: row.status, sequence: sequence), new.orderKeys(status: row.status, sequence: sequence))
        where oldKey != newKey {
            _ = try writer.delete(tables.order, oldKey)
            try writer.put(tables.order, newKey, [UInt8]())
        }
        try TrigramIndex.replace(sequence: sequence, old: old.searchFields, new: new.searchFields, table: tables.grams, in: writer)
    }
}
