import CompactCodec
import CustomerAggregate
import EventStore
import Foundation

/// Applies a run of events to one table set of the customer list.
///
/// The incremental write path: the inline projection applies a transaction's events as one batch, a rebuild's
/// chunked replay a batch of a whole chunk (the rebuild's bulk phase, `CustomerListBulkLoader`, writes the
/// same bytes its own way, which the rebuild tests check). Batching changes the cost, not the bytes: the result depends only on the events (rows keyed by
/// sequence, index keys by value, posting blocks cut by a fixed rule), which is what lets a rebuild be
/// compared byte for byte with the live projection. In a batch, a customer created and verified in the same
/// batch is written once, already Verified; each trigram's last block is rewritten once; index keys are
/// written in key order, so that neighbouring puts touch neighbouring pages.
struct CustomerListBatch {
    let tables: CustomerListTables
    /// Pending search postings at which a merge into the blocks starts (`PendingPostings`).
    let searchMergeThreshold: Int
    /// Customers created in this batch, in sequence order.
    private var newRows: [CustomerRow] = []
    private var newRowOfStream: [String: Int] = [:]
    /// Verifications of customers created before this batch, in log order.
    private var laterVerifications: [(stream: StreamName, at: Date)] = []

    init(tables: CustomerListTables, searchMergeThreshold: Int) {
        self.tables = tables
        self.searchMergeThreshold = searchMergeThreshold
    }

    var isEmpty: Bool { newRows.isEmpty && laterVerifications.isEmpty }

    /// Takes one event of the log (events must come in log order); ignores those the list does not show.
    mutating func add(_ event: RecordedEvent) throws {
        guard event.typeIs(CustomerEvent.createdTypeName) || event.typeIs(CustomerEvent.emailVerifiedTypeName) else { return }
        let decoded = try CustomerEvent.decode(event)
        switch decoded {
        case .created(let created):
            // A customer's stream starts with its creation; the decider never emits a second one, and the
            // aggregate would ignore it, so does the list.
            guard event.version == 1, newRowOfStream[event.stream.rawValue] == nil else { return }
            newRowOfStream[event.stream.rawValue] = newRows.count
            newRows.append(CustomerRow(created: created, sequence: event.position))
        case .emailVerified(let verified):
            if let index = newRowOfStream[event.stream.rawValue] {
                newRows[index].status = .verified
                newRows[index].verifiedAt = verified.verifiedAt
            } else {
                laterVerifications.append((event.stream, verified.verifiedAt))
            }
        case .verificationRequested, .passwordTokenIssued, .passwordSet, .passwordRehashed, .signInSucceeded, .signInFailed, .accountLocked, .edited, .address, .note, .emailChangeRequested, .emailChangeConfirmed, .emailChanged, .forgotten:
            return  // edits and erasures are applied one by one, between batches (`CustomerListView.apply(batch:in:)`)
        }
    }

    func write(in writer: StoreWriter) throws {
        try CustomerListFormat.mark(tables, in: writer)
        try writeNewRows(in: writer)
        for verification in laterVerifications {
            try markVerified(stream: verification.stream, at: verification.at, in: writer)
        }
    }

    private func writeNewRows(in writer: StoreWriter) throws {
        guard !newRows.isEmpty else { return }
        let lastSequence = try writer.withCursor(tables.rows) { cursor in
            try cursor.last() ? readBigEndianUInt64(cursor.key) : 0
        }
        var orderKeys = KeyArena()
        orderKeys.reserve(keys: newRows.count * ListOrderKey.Field.allCases.count, bytes: newRows.count * 120)
        var grams = TrigramIndex.Additions()
        var verified: [UInt64] = []
        for row in newRows {
            let key = BigEndianUInt64(row.creationSequence)
            if row.creationSequence <= lastSequence, try writer.contains(tables.rows, key) {
                continue  // already applied (a replayed event)
            }
            // Rows come in log order, each above every stored key: `.append` fills pages completely.
            let append = row.creationSequence > lastSequence
            try writer.put(tables.rows, key, CustomerRowCodec.encode(row), options: append ? .append : [])
            let folded = FoldedRow(row)
            for key in folded.orderKeys(status: row.status, sequence: row.creationSequence) { orderKeys.append(key) }
            grams.add(sequence: row.creationSequence, fields: folded.searchFields)
            if row.status == .verified { verified.append(row.creationSequence) }
        }
        let empty = [UInt8]()
        let order = tables.order
        for index in orderKeys.sortedIndices() {
            try orderKeys.withKey(index) { key in
                try writer.put(order, RawKey(key), empty)
            }
        }
        try TrigramIndex.add(grams, table: tables.grams, mergeThreshold: searchMergeThreshold, in: writer)
        try StatusBits.set(verified, verified: true, tables: tables, in: writer)
    }

    /// A customer created before this batch becomes Verified: rewrite its row, move its index keys to the
    /// Verified range, set its status bit (which moves it between the counts too, `StatusCounters`).
    private func markVerified(stream: StreamName, at verifiedAt: Date, in writer: StoreWriter) throws {
        guard let sequence = try CustomerListView.creationSequence(of: stream, in: writer),
              var row = try CustomerListView.row(at: sequence, tables: tables, in: writer)
        else { return }
        let previous = row.status
        row.status = .verified
        row.verifiedAt = verifiedAt
        try writer.put(tables.rows, BigEndianUInt64(sequence), CustomerRowCodec.encode(row))
        guard previous != .verified else { return }
        let folded = FoldedRow(row)
        for key in folded.orderKeys(status: previous, sequence: sequence) {
            try writer.delete(tables.order, key)
        }
        for key in folded.orderKeys(status: .verified, sequence: sequence) {
            try writer.put(tables.order, key, [UInt8]())
        }
        try StatusBits.set([sequence], verified: true, tables: tables, in: writer)
    }
}

/// A row's searchable values, folded once for both the order index and the trigram index.
struct FoldedRow {
    let reference: [UInt8]
    let email: [UInt8]
    let firstName: [UInt8]
    let lastName: [UInt8]
    let company: [UInt8]
    let phone: [UInt8]
    let emailCollation: [UInt8]
    let firstNameCollation: [UInt8]
    let lastNameCollation: [UInt8]
    let created: [UInt8]

    init(_ row: CustomerRow) {
        let profile = row.profile
        reference = TextFolding.fold(row.reference.description)
        email = TextFolding.fold(profile.email)
        firstName = TextFolding.fold(profile.firstName)
        lastName = TextFolding.fold(profile.lastName)
        company = profile.company.map(TextFolding.fold) ?? []
        phone = profile.phone.map(TextFolding.fold) ?? []
        emailCollation = ListOrderKey.collation(primary: email, secondary: TextFolding.lowercased(profile.email))
        firstNameCollation = ListOrderKey.collation(primary: firstName, secondary: TextFolding.lowercased(profile.firstName))
        lastNameCollation = ListOrderKey.collation(primary: lastName, secondary: TextFolding.lowercased(profile.lastName))
        created = ListOrderKey.collation(of: row, .created)
    }

    /// In `SearchFields` order.
    var searchFields: [(field: UInt8, text: [UInt8])] {
        [
            (SearchFields.reference, reference), (SearchFields.email, email), (SearchFields.firstName, firstName),
            (SearchFields.lastName, lastName), (SearchFields.company, company), (SearchFields.phone, phone),
        ]
    }

    func orderKeys(status: CustomerStatus, sequence: UInt64) -> [[UInt8]] {
        [
            ListOrderKey.key(field: .created, status: status, suffix: ListOrderKey.suffix(field: .created, collation: created, sequence: sequence)),
            ListOrderKey.key(field: .email, status: status, suffix: ListOrderKey.suffix(field: .email, collation: emailCollation, sequence: sequence)),
            ListOrderKey.key(field: .firstName, status: status, suffix: ListOrderKey.suffix(field: .firstName, collation: firstNameCollation, sequence: sequence)),
            ListOrderKey.key(field: .lastName, status: status, suffix: ListOrderKey.suffix(field: .lastName, collation: lastNameCollation, sequence: sequence)),
        ]
    }
}

/// Borrowed bytes as an LMDB key, valid for the call that receives it.
struct RawKey: ContiguousBytes {
    let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(bytes) }
}
