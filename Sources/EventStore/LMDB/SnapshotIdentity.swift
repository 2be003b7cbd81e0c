/// Names one committed state of a store's data, for caches of what was computed from it: two read transactions
/// with equal identities see the same bytes.
///
/// LMDB's transaction id alone is not enough: every commit advances it, but a compacted copy of the data file
/// (`Environment.replaceDataFile`) starts counting again, and two stores (or one closed and opened again) count
/// on their own. So the identity is the environment (a serial unique in this process), its data file (counted
/// up by every replacement) and the transaction id.
public struct SnapshotIdentity: Hashable, Sendable {
    let environment: UInt64
    let dataFile: UInt64
    let transaction: Int
}
