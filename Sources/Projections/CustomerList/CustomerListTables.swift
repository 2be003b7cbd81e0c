import EventStore

/// The declarations of the customer list's tables for one table set. The live set has no suffix
/// (`customer-list.rows`, …); the second set used by rebuilds has the suffix `.b` (`customer-list.b.rows`, …),
/// see `ActiveTableSet`.
struct CustomerListTableNames: Sendable, Equatable {
    let rows: TableSpec
    let order: TableSpec
    let grams: TableSpec
    let pendingGrams: TableSpec
    let counts: TableSpec
    let statusBits: TableSpec
    let byteBits: TableSpec
    /// The key in `projection-state` under which this set records the format its bytes were written in.
    let formatKey: [UInt8]

    init(base: String, suffix: String) {
        let prefix = base + suffix
        formatKey = Array("format/\(prefix)".utf8)
        rows = TableSpec(prefix + ".rows")
        order = TableSpec(prefix + ".order")
        grams = TableSpec(prefix + ".grams")
        pendingGrams = TableSpec(prefix + ".grams-pending")
        counts = TableSpec(prefix + ".counts")
        statusBits = TableSpec(prefix + ".status")
        byteBits = TableSpec(prefix + ".bytes")
    }

    /// In a fixed order, so that two table sets can be compared table by table.
    var specs: [TableSpec] { [rows, order, grams, pendingGrams, counts, statusBits, byteBits] }
}

/// The opened tables of one table set, for the length of one transaction.
struct CustomerListTables {
    /// creation sequence (u64 BE) → `CustomerRowCodec` row
    let rows: Table
    /// `ListOrderKey` → empty
    let order: Table
    /// the trigram index: its posting blocks, its pending postings and which bytes each customer has
    let grams: TrigramTables
    /// status raw value ("Unverified"/"Verified") → count (u64 BE): sets of format 2 and 3 only, no longer read
    /// (`StatusCounters` derives the counts); emptied by the first write in format 4
    let counts: Table
    /// sequence / 8192 (u64 BE) → 1024-byte bitmap, bit set = that customer is Verified
    let statusBits: Table
    /// `projection-state`, and this set's key in it (`CustomerListFormat`).
    let state: Table
    let formatKey: [UInt8]

    init(_ names: CustomerListTableNames, in reader: StoreReader) {
        state = reader.table(ActiveTableSet.table)
        formatKey = names.formatKey
        rows = reader.table(names.rows)
        order = reader.table(names.order)
        grams = TrigramTables(
            postings: reader.table(names.grams), pending: reader.table(names.pendingGrams), bytes: reader.table(names.byteBits))
        counts = reader.table(names.counts)
        statusBits = reader.table(names.statusBits)
    }
}
