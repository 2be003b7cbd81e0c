import EventStore

/// The tables of one table set's search index, opened for one transaction: the posting blocks
/// (`customer-list.grams`, see `PostingBlock`) and the postings of recent customers not yet merged into them
/// (`customer-list.grams-pending`, see `PendingPostings`), and the bytes of the customers in the blocks
/// (`customer-list.bytes`, see `ByteBits`). Every operation on a customer's postings goes through
/// both, so that search sees one index.
struct TrigramTables {
    /// trigram (3 bytes) ‖ first sequence of the block (u64 BE) → `PostingBlock`
    let postings: Table
    /// creation sequence (u64 BE) → `PendingPostings` record; `PendingPostings.stateKey` → the merge in progress
    let pending: Table
    /// chunk (sequence / 8192, u64 BE) ‖ byte → 1024-byte bitmap (`ByteBits`)
    let bytes: Table
}
