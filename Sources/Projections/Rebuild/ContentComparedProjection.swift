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
    var contentComparedTables: [TableSpec] { [primaryNames.grams, primaryNames.pendingGrams, primaryNames.byteBits, primaryNames.counts] }

    func compareContent(
        withRebuilt rebuilt: any RebuildableProjection, in reader: StoreReader,
        _ report: (_ table: String, _ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws {
        guard let rebuilt = rebuilt as? CustomerListView else { return }
        // The same bytes hold the same postings: the walk that decodes every posting of both sides (most of a
        // verify's comparing) is for indexes whose blocks were cut differently.
        let pairs = [(primaryNames.grams, rebuilt.primaryNames.grams), (primaryNames.pendingGrams, rebuilt.primaryNames.pendingGrams)]
        let liveTables = CustomerListTables(primaryNames, in: reader)
        let rebuiltTables = CustomerListTables(rebuilt.primaryNames, in: reader)
        if try !pairs.allSatisfy({ try TableComparison.areIdentical(reader.table($0.0), reader.table($0.1), in: reader) }) {
            try TrigramIndex.comparePostings(live: liveTables.grams, rebuilt: rebuiltTables.grams, in: reader) { key, kind, live, rebuiltValue in
                report(primaryNames.grams.name, key, kind, live, rebuiltValue)
            }
        }
        // A live set of format 2 or 3 has no bitmaps yet (its first write builds them): nothing to compare.
        if try CustomerListFormat.hasByteBits(liveTables, in: reader) {
            try ByteBits.compareContent(live: liveTables.grams, rebuilt: rebuiltTables.grams, in: reader) { key, kind, live, rebuiltValue in
                report(primaryNames.byteBits.name, key, kind, live, rebuiltValue)
            }
        }
        // Such a set also keeps counters nobody reads; a set of the current format has none, as a rebuild's.
        guard try reader.get(liveTables.state, liveTables.formatKey, { readBigEndianUInt64($0) }) == CustomerListFormat.current else { return }
        try TableComparison.compare(live: liveTables.counts, rebuilt: rebuiltTables.counts, in: reader) { key, kind, live, rebuiltValue in
            report(primaryNames.counts.name, key, kind, live, rebuiltValue)
        }
    }
}
