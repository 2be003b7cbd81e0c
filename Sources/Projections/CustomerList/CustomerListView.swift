import CompactCodec
import Foundation
import CustomerAggregate
import EventStore

/// The back office's customer list, kept in the same write transaction as the events it follows.
///
/// It owns five tables per table set (see `CustomerListTables`) and keeps two sets, "" and ".b", so that a
/// rebuild can fill the idle one while other processes keep reading and writing the live one, and switch in one
/// small transaction (`RebuildSwapMethod.switchTableSet`). `CustomerListView()` follows whichever set is live;
/// `withTableSuffix(_:)` pins one (that is what the rebuilder uses).
///
/// Pass `CustomerListView()` (through `ProjectionCatalog`) to `EventStore(projections:)`; read it with
/// `CustomerListView.page(_:seal:in:)`, `forEachBatch(matching:in:batchSize:_:)` and `CustomerListView.row(_:in:)`.
public struct CustomerListView: RebuildableProjection {
    public static let defaultName = "customer-list"
    public static let alternateSuffix = ".b"

    public let name: String
    /// nil: follow `ActiveTableSet`; otherwise always the tables with this suffix.
    let pinnedSuffix: String?
    let primaryNames: CustomerListTableNames
    let alternateNames: CustomerListTableNames
    /// Pending search postings at which a merge into the posting blocks starts (`PendingPostings`): tests of
    /// the merge lower it, to reach a merge with a few hundred customers.
    let searchMergeThreshold: Int

    public init(name: String = CustomerListView.defaultName) {
        self.init(name: name, pinnedSuffix: nil, searchMergeThreshold: PendingPostings.defaultMergeThreshold)
    }

    init(name: String = CustomerListView.defaultName, searchMergeThreshold: Int) {
        self.init(name: name, pinnedSuffix: nil, searchMergeThreshold: searchMergeThreshold)
    }

    private init(name: String, pinnedSuffix: String?, searchMergeThreshold: Int) {
        precondition(searchMergeThreshold > 0, "a merge starts with at least one customer pending")
        self.name = name
        self.pinnedSuffix = pinnedSuffix
        self.searchMergeThreshold = searchMergeThreshold
        primaryNames = CustomerListTableNames(base: name, suffix: pinnedSuffix ?? "")
        alternateNames = CustomerListTableNames(base: name, suffix: Self.alternateSuffix)
    }

    public var tables: [TableSpec] {
        if pinnedSuffix != nil { return primaryNames.specs + [ActiveTableSet.table] }
        return primaryNames.specs + alternateNames.specs + [ActiveTableSet.table]
    }

    public func withTableSuffix(_ suffix: String) -> CustomerListView {
        CustomerListView(name: name, pinnedSuffix: suffix, searchMergeThreshold: searchMergeThreshold)
    }

    public var swapMethod: RebuildSwapMethod { .switchTableSet(alternateSuffix: Self.alternateSuffix) }

    public func isInterested(in event: EventView) -> Bool {
        Self.shownTypes.contains(where: event.typeIs)
    }

    /// The events that change the list: creations, verifications and edits.
    static let shownTypes = [CustomerEvent.createdTypeName, CustomerEvent.emailVerifiedTypeName] + CustomerListEdit.types

    /// The tables this instance reads and writes in this transaction.
    /// A live set written in another format is refused (`CustomerListFormat`); a pinned one (a rebuild's) is
    /// being rewritten.
    func resolveTables(in reader: StoreReader) throws -> CustomerListTables {
        if pinnedSuffix != nil { return CustomerListTables(primaryNames, in: reader) }
        let suffix = try ActiveTableSet.suffix(of: name, in: reader)
        let tables = CustomerListTables(suffix == Self.alternateSuffix ? alternateNames : primaryNames, in: reader)
        try CustomerListFormat.check(tables, in: reader)
        return tables
    }

    // MARK: Applying events

    /// Batched per transaction: a bulk create touches each trigram's last posting block once, not once per
    /// customer. No command reads the list while deciding, so nothing in the transaction needs it earlier.
    public var appliesAtCommit: Bool { true }

    public func apply(_ event: RecordedEvent, in writer: StoreWriter) throws {
        guard Self.shownTypes.contains(where: event.typeIs) else {
            return  // token, outbox and settings events do not change the list
        }
        try apply(batch: [event], in: writer)
    }

    public func apply(batch events: [RecordedEvent], in writer: StoreWriter) throws {
        let tables = try resolveTables(in: writer)
        var batch = CustomerListBatch(tables: tables, searchMergeThreshold: searchMergeThreshold)
        for event in events {
            guard CustomerListEdit.types.contains(where: event.typeIs) else {
                try batch.add(event)
                continue
            }
            // An edit changes a customer's place in the indexes, and what it leaves behind (a block one entry
            // short) shapes where later customers go: applying it at its place in the log, with everything
            // before it written, makes the bytes depend only on the log, however events are batched.
            if !batch.isEmpty {
                try batch.write(in: writer)
                batch = CustomerListBatch(tables: tables, searchMergeThreshold: searchMergeThreshold)
            }
            let decoded = try CustomerEvent.decode(event)
            try CustomerListEdit.apply(decoded, stream: event.stream, tables: tables, in: writer)
            // The live list and a rebuild reach an erasure with differently packed postings (see `repack`).
            if case .forgotten = decoded { try TrigramIndex.repack(table: tables.grams.postings, in: writer) }
        }
        if !batch.isEmpty { try batch.write(in: writer) }
    }

    // MARK: Rows

    /// The position of the stream's first event when it is a `CustomerCreated` (the key of its row).
    static func creationSequence(of stream: StreamName, in reader: StoreReader) throws -> UInt64? {
        guard let first = try reader.readStream(stream, from: 1, limit: 1).first,
              first.typeIs(CustomerEvent.createdTypeName)
        else { return nil }
        return first.position
    }

    static func row(at sequence: UInt64, tables: CustomerListTables, in reader: StoreReader) throws -> CustomerRow? {
        try reader.get(tables.rows, BigEndianUInt64(sequence)) { try CustomerRowCodec.decode(sequence: sequence, bytes: $0) }
    }
}
