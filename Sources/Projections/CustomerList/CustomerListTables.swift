import EventStore

/// The names of the customer list's tables for one table set. The live set has no suffix
/// (`customer-list.rows`, …); the second set used by rebuilds has the suffix `.b` (`customer-list.b.rows`, …),
/// see `ActiveTableSet`.
struct CustomerListTableNames: Sendable, Equatable {
    let rows: String
    let order: String
    let grams: String
    let counts: String
    let statusBits: String

    init(base: String, suffix: String) {
        let prefix = base + suffix
        rows = prefix + ".rows"
        order = prefix + ".order"
        grams = prefix + ".grams"
        counts = prefix + ".counts"
        statusBits = prefix + ".status"
    }

    /// In a fixed order, so that two table sets can be compared table by table.
    var specs: [TableSpec] {
        [TableSpec(rows), TableSpec(order), TableSpec(grams), TableSpec(counts), TableSpec(statusBits)]
    }
}

/// The opened tables of one table set, for the length of one transaction.
struct CustomerListTables {
    /// creation sequence (u64 BE) → `CustomerRowCodec` row
    let rows: Table
    /// `ListOrderKey` → empty
    let order: Table
    /// trigram (3 bytes) ‖ first sequence of the block (u64 BE) → `PostingBlock`
    let grams: Table
    /// status raw value ("Unverified"/"Verified") → count (u64 BE)
    let counts: Table
    /// sequence / 8192 (u64 BE) → 1024-byte bitmap, bit set = that customer is Verified
    let statusBits: Table

    init(_ names: CustomerListTableNames, in transaction: ReadTransaction) {
        rows = transaction.table(names.rows)
        order = transaction.table(names.order)
        grams = transaction.table(names.grams)
        counts = transaction.table(names.counts)
        statusBits = transaction.table(names.statusBits)
    }
}
