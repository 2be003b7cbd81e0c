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
    var contentComparedTables: [TableSpec] { [primaryNames.grams, primaryNames.pendingGrams, primaryNames.byteBits] }

    func compareContent(
        withRebuilt rebuilt: any RebuildableProjection, in reader: StoreReader,
        _ report: (_ table: String, _ key: [UInt8], _ kind: ProjectionDifference.Kind, _ live: [UInt8]?, _ rebuilt: [UInt8]?) -> Void
    ) throws {
        guard let rebuilt = rebuilt as? CustomerListView else { return }
        // The same bytes hold the same postings: the walk that decodes every posting of both sides (most of a
        // verify's comparing) is for indexes whose blocks were cut differently.
        let pairs = [(primaryNames.grams, rebuilt.primaryNames.grams), (primaryNames.pendingGrams, rebuilt.primaryNames.pendingGrams)]
        if try pairs.allSatisfy({ try TableComparison.areIdentical(reader.table($0.0), reader.table($0.1), in: reader) }) { return }
        try TrigramIndex.comparePostings(
            live: CustomerListTables(primaryNames, in: reader).grams,
            rebuilt: CustomerListTables(rebuilt.primaryNames, in: reader).grams, in: reader
        ) { key, kind, live, rebuiltValue in report(primaryNames.grams.name, key, kind, live, rebuiltValue) }
        // A live set of format 2 or 3 has no bitmaps yet (its first write builds them): nothing to compare.
        guard try CustomerListFormat.hasByteBits(CustomerListTables(primaryNames, in: reader), in: reader) else { return }
        try ByteBits.compareContent(
            live: CustomerListTables(primaryNames, in: reader).grams,
            rebuilt: CustomerListTables(rebuilt.primaryNames, in: reader).grams, in: reader
        ) { key, kind, live, rebuiltValue in report(primaryNames.byteBits.name, key, kind, live, rebuiltValue) }
    }
}
