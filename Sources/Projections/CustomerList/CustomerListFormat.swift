import CompactCodec
import EventStore

/// Which version of the customer list's keys a table set holds, recorded in `projection-state` as
/// `format/<table set>` → u64 BE.
///
/// The list's bytes are a function of the log and of this version: when a new version sorts or searches
/// differently (2: collation by base letters then accents, `created` by `createdAt`, search over company and
/// phone too), the tables an older build wrote cannot be read or extended by the new code. Such a table set is
/// refused with what to do — `customer-es rebuild`, which writes a new set beside the live one while others
/// keep working and switches in one step — rather than mixed with new keys. A set without a record is an older
/// one when it holds rows, and a new, empty one otherwise (the first write records the version).
enum CustomerListFormat {
    /// 3: single creates leave their search postings pending (`customer-list.grams-pending`). An older build
    /// would not see those customers in a search, so it must refuse a set this version wrote.
    ///
    /// 4: one-byte searches read `customer-list.bytes` (`ByteBits`), and there are no status counters
    /// (`StatusCounters` derives the totals from the rows and the status bitmap). A set of format 2 or 3 has no
    /// bitmaps: it is read as it is (one-byte searches take the union of the trigram lists, as before; its
    /// counters are not read), and its first write builds the bitmaps from the blocks, empties the old counters
    /// and relabels it 4; an older build refuses a set of format 4, whose bitmaps it would not keep and whose
    /// totals it would read as zero.
    static let current: UInt64 = 4
    /// Formats read as they are: a set of format 2 is one with nothing pending (the table is absent or
    /// empty); such a set is used and relabelled 4 by its first write.
    static let readable: Set<UInt64> = [2, 3, 4]

    /// Refuses a table set written in another format.
    static func check(_ tables: CustomerListTables, in reader: StoreReader) throws {
        let found = try reader.get(tables.state, tables.formatKey) { readBigEndianUInt64($0) }
        if let found, readable.contains(found) { return }
        if found == nil, try reader.count(tables.rows) == 0 { return }
        throw ProjectionError.outdatedFormat(projection: "the customer list", found: found ?? 1, expected: current)
    }

    /// Records the current format for the table set being written.
    static func mark(_ tables: CustomerListTables, in writer: StoreWriter, bitmapsWritten: Bool = false) throws {
        let found = try writer.get(tables.state, tables.formatKey, { readBigEndianUInt64($0) })
        guard found != current else { return }
        // A set of format 2 or 3 gets its bitmaps now, unless it has just been written whole with them (the bulk
        // rebuild, into an idle set whose record may still be an older one's); no record: a new set. Its old
        // counters (two entries) go, so that it holds a rebuild's bytes.
        if let found, found < 4, !bitmapsWritten { try ByteBits.build(tables.grams, in: writer) }
        try writer.removeAll(tables.counts)
        try writer.put(tables.state, tables.formatKey, BigEndianUInt64(current))
    }

    /// Whether the set has its `ByteBits` (format 4, or a new set without a record yet).
    static func hasByteBits(_ tables: CustomerListTables, in reader: StoreReader) throws -> Bool {
        let found = try reader.get(tables.state, tables.formatKey) { readBigEndianUInt64($0) }
        return found.map { $0 >= 4 } ?? true
    }
}
