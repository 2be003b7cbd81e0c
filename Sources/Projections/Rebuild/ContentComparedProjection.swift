import CompactCodec
import EventStore

/// A projection some of whose tables can hold the same content in more than one byte layout (the search
/// index: where pending postings were merged into the blocks, see `PendingPostings`). The verifier compares
/// those tables by their content, through the projection, and every other table byte for byte.
protocol ContentComparedProjection {
    /// Those tables, among this instance's `tables`.
    var contentComparedTables: [TableSpec] { get }

    /// Compares them with the same tables of `rebuilt` (the same projection over another table set);
    /// `report` gets the table to name, the key and the values on each side.
    func compareContent(
        withRebuilt rebuilt: any RebuildableProjection, in reader: StoreReader,
        _ report: (_ table: String, _ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws
}

extension CustomerListView: ContentComparedProjection {
    /// The counters too: a set of format 2 or 3 not written since keeps counters nobody reads (`StatusCounters`).
    var contentComparedTables: [TableSpec] { [primaryNames.grams, primaryNames.pendingGrams, primaryNames.counts] }

    func compareContent(
        withRebuilt rebuilt: any RebuildableProjection, in reader: StoreReader,
        _ report: (_ table: String, _ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws {
        guard let rebuilt = rebuilt as? CustomerListView else { return }
        try TrigramIndex.comparePostings(
            live: CustomerListTables(primaryNames, in: reader).grams,
            rebuilt: CustomerListTables(rebuilt.primaryNames, in: reader).grams, in: reader
        ) { key, kind, live, rebuiltValue in report(primaryNames.grams.name, key, kind, live, rebuiltValue) }
        let liveTables = CustomerListTables(primaryNames, in: reader)
        guard try reader.get(liveTables.state, liveTables.formatKey, { readBigEndianUInt64($0) }) == CustomerListFormat.current else { return }
        try TableComparison.compare(
            live: liveTables.counts, rebuilt: CustomerListTables(rebuilt.primaryNames, in: reader).counts, in: reader
        ) { key, kind, live, rebuiltValue in report(primaryNames.counts.name, key, kind, live, rebuiltValue) }
    }
}
