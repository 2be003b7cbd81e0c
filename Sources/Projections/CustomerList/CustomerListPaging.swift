import CompactCodec
import CustomerAggregate
import EventStore

extension CustomerListView {
    /// One page of the customer list, in one consistent snapshot.
    ///
    /// Without a search a page costs O(log n + limit) for every sort, direction and filter: it seeks into the
    /// order index once per status range and merges them; `total` comes from the maintained counters. With a
    /// search, see `searchPage`.
    /// `seal` authenticates the cursors (see `ListCursor`).
    public static func page(_ query: CustomerListQuery, seal: ListCursorSeal, in reader: StoreReader) throws -> CustomerListPage {
        try CustomerListView().page(query, seal: seal, in: reader)
    }

    /// Whether searched pages keep each search's matches for the snapshot they were computed in and reuse them
    /// (on by default; see `SearchMatchCache`). Benchmarks that time the index's own work turn it off.
    public static var reusesSearchMatches: Bool {
        get { SearchMatchCache.shared.isEnabled }
        set { SearchMatchCache.shared.isEnabled = newValue }
    }

    /// The list row of one customer, or nil when no such customer exists.
    public static func row(_ id: CustomerID, in reader: StoreReader) throws -> CustomerRow? {
        try CustomerListView().row(id, in: reader)
    }

    func row(_ id: CustomerID, in reader: StoreReader) throws -> CustomerRow? {
        guard let stream = try? StreamName(id.streamName),
              let sequence = try Self.creationSequence(of: stream, in: reader)
        else { return nil }
        return try Self.row(at: sequence, tables: resolveTables(in: reader), in: reader)
    }

    func page(_ query: CustomerListQuery, seal: ListCursorSeal, in reader: StoreReader) throws -> CustomerListPage {
        guard (1...CustomerListQuery.maximumLimit).contains(query.limit) else {
            throw CustomerListError(.limitOutOfRange(query.limit))
        }
        let tables = try resolveTables(in: reader)
        let search = query.search.flatMap { $0.isEmpty ? nil : TextFolding.fold($0) }
        let context = ListCursor.Context(
            sort: query.sort, status: query.status, descending: query.descending,
            searchTag: ListCursor.searchTag(ofSearch: search, seal: seal))
        let after = try query.cursor.map { text in
            try position(of: try ListCursor.anchor(of: text, expecting: context, seal: seal), sort: query.sort, tables: tables, in: reader)
        }
        let slice = try slice(query, search: search, after: after, limit: query.limit, tables: tables, in: reader)
        let nextCursor = slice.hasMore ? slice.lastPosition.map { last in
            ListCursor.encode(context, anchor: ListCursor.Anchor(
                sequence: ListOrderKey.sequence(ofSuffix: last), statusCode: query.sort == .status ? last.first : nil), seal: seal)
        } : nil
        return CustomerListPage(items: slice.items, total: slice.total, nextCursor: nextCursor)
    }

    /// The place in the order of a cursor's row, derived from the row itself (the cursor carries no sort value).
    private func position(
        of anchor: ListCursor.Anchor, sort: CustomerListSort, tables: CustomerListTables, in reader: StoreReader
    ) throws -> [UInt8] {
        guard let row = try Self.row(at: anchor.sequence, tables: tables, in: reader) else {
            throw CustomerListError(.noSuchRow)
        }
        let field = sort.indexField
        let suffix = ListOrderKey.suffix(field: field, collation: ListOrderKey.collation(of: row, field), sequence: anchor.sequence)
        if let code = anchor.statusCode { return [code] + suffix }
        return suffix
    }

    /// Rows of the listing strictly after the place `after` (from the start when nil), up to `limit`.
    struct Slice {
        var items: [CustomerRow]
        var total: Int
        /// The place of the last item in the order (where the next slice starts).
        var lastPosition: [UInt8]?
        var hasMore: Bool
    }

    func slice(
        _ query: CustomerListQuery, search: [UInt8]?, after: [UInt8]?, limit: Int, tables: CustomerListTables,
        in reader: StoreReader
    ) throws -> Slice {
        var query = query
        query.limit = limit
        var positions: [[UInt8]]
        let total: Int
        if let search {
            (positions, total) = try searchPositions(search, query: query, after: after, tables: tables, in: reader)
        } else {
            let statuses = query.status.map { [$0] } ?? CustomerStatus.allCases
            total = try StatusCounters.count(statuses, tables: tables, in: reader)
            positions = try OrderIndexScan.positions(
                sort: query.sort, statuses: statuses, descending: query.descending, after: after,
                limit: limit + 1, order: tables.order, in: reader, accept: nil, budget: nil
            ).positions
        }
        let hasMore = positions.count > limit
        if hasMore { positions.removeLast(positions.count - limit) }
        let items = try positions.map { position -> CustomerRow in
            let sequence = ListOrderKey.sequence(ofSuffix: position)
            guard let row = try Self.row(at: sequence, tables: tables, in: reader) else {
                throw ProjectionError.corruptIndex(table: "\(name).order", reason: "no row for creation sequence \(sequence)")
            }
            return row
        }
        return Slice(items: items, total: total, lastPosition: positions.last, hasMore: hasMore)
    }

    /// Cursor positions of the page (plus one, to know whether another page follows) and the number of matches.
    ///
    /// The matches come exactly from the trigram index (`CustomerSearch`) as a bit set over creation sequences,
    /// are split by status with the status bitmap (64 customers per operation), counted, and ordered by the order
    /// index, for every sort (`created` is by `createdAt`, not by creation sequence). Each status has its own key
    /// range in the order index, so each is judged on its own: a status without matches is skipped (a search
    /// whose matches are all Verified never walks the Unverified range); when a status's matches are dense in its
    /// range, walk the range from the cursor and keep the entries that match (about `limit × range / matches`
    /// steps); when they are sparse, or the walk runs over its budget (matches clustered far away in the
    /// order), place every match of that status from its row and keep the first places (`selectPlaces`). The
    /// budget keeps the walk within about the cost of placing the matches (`searchWalkBudget`). The statuses'
    /// first places are then merged in list order.
    private func searchPositions(
        _ search: [UInt8], query: CustomerListQuery, after: [UInt8]?, tables: CustomerListTables,
        in reader: StoreReader
    ) throws -> (positions: [[UInt8]], total: Int) {
        let cacheKey = reader.snapshotIdentity.map { SearchMatchCache.Key(snapshot: $0, tables: tables.rows.name, query: search) }
        let matchSet = try SearchMatchCache.shared.matches(cacheKey) {
            try CustomerSearch.matches(
                search, grams: tables.grams, byteBits: try CustomerListFormat.hasByteBits(tables, in: reader),
                capacity: try reader.count(tables.rows) > 0 ? maxSequence(tables, reader) : 0, in: reader)
        }
        let wanted = query.limit + 1
        var statuses = query.status.map { [$0] } ?? CustomerStatus.allCases
        if query.sort == .status { statuses = ListOrderKey.statusRangeOrder(statuses, descending: query.descending) }
        var total = 0
        var positions: [[UInt8]] = []
        var pageFull = false
        for status in statuses {
            var matches = matchSet
            try StatusBits.restrict(&matches, to: status, tables: tables, in: reader)
            let count = matches.count
            total += count
            // With the status sort the ranges follow each other in the list: one the cursor has passed, or one
            // after a range that filled the page, adds only its count.
            if query.sort == .status, let code = after?.first,
               ListOrderKey.statusRange(ListOrderKey.statusCode(status), isPassedBy: code, descending: query.descending) {
                continue
            }
            guard count > 0, !pageFull else { continue }
            positions += try statusPositions(
                of: matches, count: count, status: status, query: query, after: after, limit: wanted, tables: tables, in: reader)
            if query.sort == .status && positions.count >= wanted { pageFull = true }
        }
        if statuses.count > 1 && query.sort != .status { ListOrderKey.sortPositions(&positions, descending: query.descending) }
        if positions.count > wanted { positions.removeLast(positions.count - wanted) }
        return (positions, total)
    }

    /// The first `limit` positions after `after` of `matches`, all of `status`: from a walk of that status's
    /// range of the order index when the matches are dense enough in it, from their rows otherwise.
    private func statusPositions(
        of matches: SequenceBitSet, count: Int, status: CustomerStatus, query: CustomerListQuery, after: [UInt8]?, limit: Int,
        tables: CustomerListTables, in reader: StoreReader
    ) throws -> [[UInt8]] {
        var query = query
        query.status = status
        let scope = try StatusCounters.count([status], tables: tables, in: reader)
        // A walk of the whole range when even that costs less than placing the matches (wherever they lie);
        // else a walk within its budget when the matches look dense enough to fill the page soon.
        let wholeRange = Self.searchWalksWholeRange(scope: scope, matches: count)
        let expectedSteps = Double(limit) * Double(max(scope, 1)) / Double(count)
        let budget = Self.searchWalkBudget(matches: count)
        if wholeRange || (count > Self.searchWalkMinimumMatches && expectedSteps < Double(budget)) {
            let walk = try OrderIndexScan.positions(
                sort: query.sort, statuses: [status], descending: query.descending, after: after,
                limit: limit, order: tables.order, in: reader, accept: matches, budget: wholeRange ? nil : budget)
            if !walk.overBudget { return walk.positions }
        }
        return try selectPlaces(of: matches, query: query, after: after, limit: limit, tables: tables, in: reader)
    }

    /// The most order-index entries a searched page walks (per status range, when a walk of the whole range
    /// would cost more than placing the matches) before it places every match from its row instead. At 1 M
    /// customers a step of the walk cost 14–17 ns and placing a match 0.7–1.3 µs (a row lookup in a table far
    /// larger than the caches), so a walk that finds the matches bunched far along the order wastes at most about
    /// a quarter of what placing them costs.
    static func searchWalkBudget(matches: Int) -> Int { 16 * matches + 4096 }

    /// Whether a status range of `scope` entries is walked to its end if need be, for `matches` matches in it: when
    /// even a walk of all of it costs less than placing them. At 1 M customers a step of the walk cost 14–17 ns and
    /// placing a match 0.7–1.3 µs (50–80 steps), so 32 steps per match keeps a margin: matches bunched at the far
    /// end of the order (a name that sorts last, in a descending list) cost one walk instead of a wasted budget
    /// and then their placing (50 000 matches behind 800 000 other customers: 15 ms instead of 50).
    static func searchWalksWholeRange(scope: Int, matches: Int) -> Bool {
        matches > searchWalkMinimumMatches && scope <= 32 * matches
    }

    /// Up to this many matches of a status are always placed from their rows, never found by a walk.
    static let searchWalkMinimumMatches = 512

    /// The first `limit` places of the matches in the query's order after `after`, each computed from its row's
    /// bytes (`RowPlaceWriter`) and kept only while it can still be on the page (`PlaceSelection`): one row
    /// lookup per match (one cursor, in sequence order, so neighbouring rows share their pages) and no
    /// allocation for most of them.
    private func selectPlaces(
        of matches: SequenceBitSet, query: CustomerListQuery, after: [UInt8]?, limit: Int, tables: CustomerListTables,
        in reader: StoreReader
    ) throws -> [[UInt8]] {
        var selection = PlaceSelection(limit: limit, descending: query.descending, after: after)
        let writer = RowPlaceWriter()
        try reader.withCursor(tables.rows) { cursor in
            try matches.forEach { sequence in
                guard try cursor.seek(exactly: BigEndianUInt64(sequence)) else { return }
                selection.offer(try writer.place(ofRow: cursor.value, sequence: sequence, sort: query.sort))
            }
        }
        return selection.places()
    }

    /// The largest creation sequence (the last row key): the size of a match set.
    private func maxSequence(_ tables: CustomerListTables, _ reader: StoreReader) throws -> UInt64 {
        try reader.withCursor(tables.rows) { cursor in try cursor.last() ? readBigEndianUInt64(cursor.key) : 0 }
    }
}

extension CustomerListView {
    /// A cursor that continues `query` right after `row`, as if `row` had ended the previous page: for links
    /// such as "the list from this customer on", and for benchmarks that start at random places.
    public static func cursor(after row: CustomerRow, for query: CustomerListQuery, seal: ListCursorSeal) -> String {
        let search = query.search.flatMap { $0.isEmpty ? nil : TextFolding.fold($0) }
        let context = ListCursor.Context(
            sort: query.sort, status: query.status, descending: query.descending,
            searchTag: ListCursor.searchTag(ofSearch: search, seal: seal))
        let anchor = ListCursor.Anchor(
            sequence: row.creationSequence, statusCode: query.sort == .status ? ListOrderKey.statusCode(row.status) : nil)
        return ListCursor.encode(context, anchor: anchor, seal: seal)
    }
}
