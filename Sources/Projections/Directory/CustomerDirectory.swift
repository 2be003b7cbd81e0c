import CompactCodec
import CustomerAggregate
import EventStore
import Foundation

/// The write side's lookups: which customer has this email, this reference, this token — plus the highest
/// reference number handed out. Commands read it inside their write transaction, so two processes creating the
/// same email at the same moment serialize on LMDB's writer lock and the second one sees the first.
///
/// Kept as an inline projection of the customer events (not as hand-written side tables) so that it can be
/// rebuilt from the log like every other read model.
public struct CustomerDirectory: RebuildableProjection, OverlayProjection {
    public let name: String
    public let tables: [TableSpec]
    /// trimmed lower-cased email → customer id (16 bytes)
    let emails: TableSpec
    /// reference → customer id, keyed by number (`referenceKey`, or the older text key `legacyReferenceKey`)
    let references: TableSpec
    /// token id (16 bytes) → customer id ‖ `TokenPurpose`
    let tokens: TableSpec
    /// `last-reference-number` → u64 BE: written only in stores of format 1 (the older layout); elsewhere the
    /// last numbered reference key holds the highest number, and an older store's counter is read as a floor
    let counters: TableSpec
    /// email key of a pending change → customer id ‖ token id ‖ expiry (µs, u64 BE): the address is taken until
    /// then (`EmailReservation`)
    let reservations: TableSpec
    /// customer id → the address of its pending change as given (its key is derived again), so that a newer change
    /// or a switch releases the older reservation, and the list can show the pending address
    let pendingByCustomer: TableSpec

    static let emailTable = TableSpec("directory.email")
    static let referenceTable = TableSpec("directory.reference")
    static let tokenTable = TableSpec("directory.token")
    static let counterTable = TableSpec("directory.counters")
    static let reservationTable = TableSpec("directory.email-reservations")
    static let pendingTable = TableSpec("directory.email-pending")

    /// The second table set: a rebuild fills the idle set while commands keep using the live one, and goes live by
    /// rewriting `active/customer-directory` (`ActiveTableSet`), so that no write transaction copies the directory.
    /// (The name of the shadow tables of the former `.copy` rebuild: a store keeps its tables.)
    public static let alternateSuffix = ProjectionCatalog.shadowSuffix
    /// nil: follow `ActiveTableSet`; otherwise always the tables with this suffix (what the rebuilder uses).
    let pinnedSuffix: String?

    /// The directory over whichever table set is live.
    public init() {
        self.init(pinnedSuffix: nil)
    }

    /// The directory over the tables named with `tableSuffix`, whatever is live (a rebuild's shadow, or tests).
    public init(tableSuffix: String) {
        self.init(pinnedSuffix: tableSuffix)
    }

    private init(pinnedSuffix: String?) {
        let tableSuffix = pinnedSuffix ?? ""
        name = "customer-directory"
        self.pinnedSuffix = pinnedSuffix
        emails = Self.emailTable.withSuffix(tableSuffix)
        references = Self.referenceTable.withSuffix(tableSuffix)
        tokens = Self.tokenTable.withSuffix(tableSuffix)
        counters = Self.counterTable.withSuffix(tableSuffix)
        reservations = Self.reservationTable.withSuffix(tableSuffix)
        pendingByCustomer = Self.pendingTable.withSuffix(tableSuffix)
        let own = [emails, references, tokens, counters, reservations, pendingByCustomer]
        tables = pinnedSuffix == nil
            ? own + own.map { $0.withSuffix(Self.alternateSuffix) } + [ActiveTableSet.table] : own
    }

    public func withTableSuffix(_ suffix: String) -> CustomerDirectory { CustomerDirectory(tableSuffix: suffix) }

    public var swapMethod: RebuildSwapMethod { .switchTableSet(alternateSuffix: Self.alternateSuffix) }

    private static let primarySet = CustomerDirectory(pinnedSuffix: "")
    private static let alternateSet = CustomerDirectory(pinnedSuffix: alternateSuffix)

    /// This directory pinned to the table set that is live in this transaction (one small get).
    public func live(in reader: StoreReader) throws -> CustomerDirectory {
        if pinnedSuffix != nil { return self }
        return try ActiveTableSet.suffix(of: name, in: reader) == Self.alternateSuffix ? Self.alternateSet : Self.primarySet
    }

    public func isInterested(in event: EventView) -> Bool {
        event.typeIs(CustomerEvent.createdTypeName) || event.typeIs(CustomerEvent.verificationRequestedTypeName)
            || event.typeIs(CustomerEvent.passwordTokenIssuedTypeName)
            || event.typeIs(CustomerEvent.emailChangeRequestedTypeName) || event.typeIs(CustomerEvent.emailChangeConfirmedTypeName)
            || event.typeIs(CustomerEvent.emailChangedTypeName) || event.typeIs(CustomerEvent.forgottenTypeName)
    }

    public enum TokenPurpose: UInt8, Sendable {
        case emailVerification = 1
        case passwordSet = 2
        case emailChange = 3
    }

    static let lastReferenceKey = Array("last-reference-number".utf8)

    public func apply(_ event: RecordedEvent, in writer: StoreWriter) throws {
        if pinnedSuffix == nil { return try live(in: writer).apply(event, in: writer) }
        try apply(ProjectedEvent(event), to: TransactionTables(writer: writer))
    }

    /// What `apply` does, over the live tables or a rebuild's overlay of them (`ProjectionTables`).
    func apply<Tables: ProjectionTables>(_ projected: ProjectedEvent, to tables: Tables) throws {
        let event = projected.recorded
        guard CustomerEvent.contains(event), let customer = projected.customer,
              let decoded = try projected.customerEvent() else { return }
        let id = Self.bytes(of: customer)
        switch decoded {
        case .created(let created):
            // An erased customer's creation reads with a blank email (a rebuild after `forget`): no key.
            let emailKey = Self.emailKey(created.profile.email)
            if !emailKey.isEmpty {
                try tables.put(emails, emailKey, id)
                // A reservation of this address can only be an expired one (a live one refuses the creation).
                try dropReservation(emailKey, in: tables)
            }
            if try Self.keepsLegacyLayout(tables.log) {
                try tables.put(references, Self.legacyReferenceKey(created.reference.description), id)
                let last = try tables.get(counters, Self.lastReferenceKey) { readBigEndianUInt64($0) } ?? 0
                if created.reference.number > last {
                    try tables.put(counters, Self.lastReferenceKey, BigEndianUInt64(created.reference.number).bytes)
                }
            } else {
                // Numbered: the next customer's key lands after every other, and no counter is rewritten.
                try tables.put(references, Self.referenceKey(created.reference), id)
            }
        case .verificationRequested(let requested):
            try tables.put(tokens, requested.tokenId.bytes, id + [TokenPurpose.emailVerification.rawValue])
        case .passwordTokenIssued(let issued):
            try tables.put(tokens, issued.tokenId.bytes, id + [TokenPurpose.passwordSet.rawValue])
        case .emailChangeRequested(let requested):
            try tables.put(tokens, requested.tokenId.bytes, id + [TokenPurpose.emailChange.rawValue])
            try releasePendingChange(of: id, in: tables)
            let key = Self.emailKey(requested.email)
            guard !key.isEmpty else { break }  // erased: the customer was forgotten later, nothing to reserve
            let reservation = EmailReservation(customer: customer, tokenId: requested.tokenId, expiresAt: requested.expiresAt)
            try tables.put(reservations, key, reservation.encoded())
            try tables.put(pendingByCustomer, id, Array(requested.email.utf8))
        case .emailChangeConfirmed(let confirmed):
            try switchEmail(of: id, from: confirmed.previousEmail, to: confirmed.email, in: tables)
        case .emailChanged(let changed):
            try switchEmail(of: id, from: changed.previousEmail, to: changed.email, in: tables)
        case .forgotten:
            // The address is free again, and so is a pending one. Applied while the customer's earlier events
            // still read whole (the vault is emptied after the append, in the same transaction); in a rebuild
            // they read blank and there is no key left to remove.
            let key = Self.emailKey(try Self.currentEmail(of: event.stream, before: event.version, in: tables.log))
            if !key.isEmpty, key.count <= 511, try tables.get(emails, key, { Array($0) }) == id {
                try tables.delete(emails, key)
            }
            try releasePendingChange(of: id, in: tables)
        case .emailVerified, .passwordSet, .passwordRehashed, .signInSucceeded, .signInFailed, .accountLocked, .edited, .address, .note:
            break
        }
    }

    /// The customer's email as of the events before `version`, folded by the aggregate (so email changes count).
    static func currentEmail(of stream: StreamName, before version: UInt64, in reader: StoreReader) throws -> String {
        let events = try reader.readStream(stream, limit: Int(version - 1)).map { try CustomerEvent.decode($0) }
        return CustomerDecider.replay(events).profile?.email ?? ""
    }

    /// The customer's address becomes `new`; `old` is free again and any pending change of the customer ends.
    private func switchEmail<Tables: ProjectionTables>(of id: [UInt8], from old: String, to new: String, in tables: Tables) throws {
        let oldKey = Self.emailKey(old), newKey = Self.emailKey(new)
        if !oldKey.isEmpty, oldKey != newKey, try tables.get(emails, oldKey, { Array($0) }) == id {
            try tables.delete(emails, oldKey)
        }
        try releasePendingChange(of: id, in: tables)
        guard !newKey.isEmpty else { return }  // erased since: the change reads blank
        try tables.put(emails, newKey, id)
        try dropReservation(newKey, in: tables)
    }

    /// Removes the customer's pending reservation, if it still holds one (an expired one may have been taken over).
    private func releasePendingChange<Tables: ProjectionTables>(of id: [UInt8], in tables: Tables) throws {
        guard let address = try tables.get(pendingByCustomer, id, { String(decoding: $0, as: UTF8.self) }) else { return }
        try tables.delete(pendingByCustomer, id)
        let key = Self.emailKey(address)
        if let held = try tables.get(reservations, key, { EmailReservation(decoding: $0) }), held?.customer.uuid.bytes == id {
            try tables.delete(reservations, key)
        }
    }

    /// Removes the reservation of `key` and its owner's pointer to it.
    private func dropReservation<Tables: ProjectionTables>(_ key: [UInt8], in tables: Tables) throws {
        guard let held = try tables.get(reservations, key, { EmailReservation(decoding: $0) }) else { return }
        try tables.delete(reservations, key)
        if let owner = held?.customer.uuid.bytes,
           try tables.get(pendingByCustomer, owner, { Self.emailKey(String(decoding: $0, as: UTF8.self)) }) == key {
            try tables.delete(pendingByCustomer, owner)
        }
    }

    // MARK: Lookups (any transaction)

    public func customer(withEmail email: String, in reader: StoreReader) throws -> CustomerID? {
        if pinnedSuffix == nil { return try live(in: reader).customer(withEmail: email, in: reader) }
        return try lookUp(Self.emailKey(email), in: emails, reader)
    }

    /// Whether `email` belongs to a customer other than `customer`: as its current address, or reserved by its
    /// pending change until that expires (a reservation past `now` is free). What create, import and
    /// change-email ask inside their write transaction, so that one address never goes to two customers.
    public func isEmailTaken(_ email: String, byAnyoneBut customer: CustomerID?, at now: Date, in reader: StoreReader) throws -> Bool {
        if pinnedSuffix == nil { return try live(in: reader).isEmailTaken(email, byAnyoneBut: customer, at: now, in: reader) }
        let key = Self.emailKey(email)
        guard !key.isEmpty, key.count <= 511 else { return false }
        if let owner = try lookUp(key, in: emails, reader), owner != customer { return true }
        guard let held = try reservation(ofKey: key, in: reader) else { return false }
        return held.customer != customer && now < held.expiresAt
    }

    /// The address of `customer`'s pending email change whose link has not expired at `now`, as given.
    public func pendingEmail(of customer: CustomerID, at now: Date, in reader: StoreReader) throws -> String? {
        if pinnedSuffix == nil { return try live(in: reader).pendingEmail(of: customer, at: now, in: reader) }
        guard let address = try reader.get(reader.table(pendingByCustomer), customer.uuid.bytes, { String(decoding: $0, as: UTF8.self) }),
              let held = try reservation(of: address, in: reader), held.customer == customer, now < held.expiresAt
        else { return nil }
        return address
    }

    /// The pending change that reserves `email`, whether or not it has expired.
    public func reservation(of email: String, in reader: StoreReader) throws -> EmailReservation? {
        if pinnedSuffix == nil { return try live(in: reader).reservation(of: email, in: reader) }
        let key = Self.emailKey(email)
        guard !key.isEmpty, key.count <= 511 else { return nil }
        return try reservation(ofKey: key, in: reader)
    }

    private func reservation(ofKey key: [UInt8], in reader: StoreReader) throws -> EmailReservation? {
        try reader.get(reader.table(reservations), key) { EmailReservation(decoding: $0) } ?? nil
    }

    /// Only the reference's own spelling (any case) finds it: `DE--007` is not `DE--7`, as with the text keys.
    public func customer(withReference reference: String, in reader: StoreReader) throws -> CustomerID? {
        if pinnedSuffix == nil { return try live(in: reader).customer(withReference: reference, in: reader) }
        let text = Self.legacyReferenceKey(reference)
        guard let parsed = CustomerReference.parse(String(decoding: text, as: UTF8.self)),
              Array(parsed.description.utf8) == text
        else { return nil }
        if let found = try lookUp(Self.referenceKey(parsed), in: references, reader) { return found }
        return try lookUp(text, in: references, reader)  // written before format 4, not migrated yet
    }

    /// A key LMDB cannot hold (empty, or over 511 bytes) cannot have been stored: it is simply not found.
    private func lookUp(_ key: [UInt8], in table: TableSpec, _ reader: StoreReader) throws -> CustomerID? {
        guard !key.isEmpty, key.count <= 511 else { return nil }
        return try reader.get(reader.table(table), key) { Self.customerID(from: $0) } ?? nil
    }

    public func customer(withToken tokenId: UUID, in reader: StoreReader) throws -> (CustomerID, TokenPurpose)? {
        if pinnedSuffix == nil { return try live(in: reader).customer(withToken: tokenId, in: reader) }
        return try reader.get(reader.table(tokens), tokenId.bytes) { bytes -> (CustomerID, TokenPurpose)? in
            guard bytes.count == 17, let id = Self.customerID(from: UnsafeRawBufferPointer(rebasing: bytes[0..<16])),
                  let purpose = TokenPurpose(rawValue: bytes[16]) else { return nil }
            return (id, purpose)
        } ?? nil
    }

    /// The highest reference number in use; the next customer gets this + 1 (gapless, never reused).
    public func lastReferenceNumber(in reader: StoreReader) throws -> UInt64 {
        if pinnedSuffix == nil { return try live(in: reader).lastReferenceNumber(in: reader) }
        let numbered = try reader.withCursor(reader.table(references)) { cursor -> UInt64 in
            guard try cursor.seek(atOrBefore: Self.afterNumberedKeys) else { return 0 }
            return Self.number(ofNumberedKey: cursor.key) ?? 0
        }
        let counted = try reader.get(reader.table(counters), Self.lastReferenceKey) { readBigEndianUInt64($0) } ?? 0
        return max(numbered, counted)
    }

    // MARK: Keys

    /// Emails are unique case-insensitively; the key is the trimmed, lowercased address.
    static func emailKey(_ email: String) -> [UInt8] {
        Array(CustomerProfile.uniquenessKey(forEmail: email).utf8)
    }

    /// 0x00 ‖ number (u64 BE) ‖ prefix (upper-case ASCII). References are handed out in increasing numbers, so a
    /// new customer's key appends at the table's right edge (full pages, no split in the middle of the table), and
    /// the last numbered key says which number was handed out last. The number first: a prefix change
    /// (`DE--7` → `XY--8`) continues the same sequence.
    static func referenceKey(_ reference: CustomerReference) -> [UInt8] {
        var key: [UInt8] = [numberedKeyMark]
        key.reserveCapacity(9 + reference.prefix.utf8.count)
        appendBigEndian(reference.number, to: &key)
        key += reference.prefix.utf8
        return key
    }

    /// The first byte of a numbered key: a text key starts with a letter, digit or `_` of the prefix, never 0x00.
    static let numberedKeyMark: UInt8 = 0
    /// After every numbered key and before every text key.
    static let afterNumberedKeys: [UInt8] = [numberedKeyMark] + [UInt8](repeating: 0xFF, count: 9)

    static func number(ofNumberedKey key: UnsafeRawBufferPointer) -> UInt64? {
        guard key.count > 9, key[0] == numberedKeyMark else { return nil }
        return readBigEndianUInt64(UnsafeRawBufferPointer(rebasing: key[1..<9]))
    }

    /// The reference a key of either layout stands for.
    static func reference(ofKey key: UnsafeRawBufferPointer) -> CustomerReference? {
        if let number = number(ofNumberedKey: key) {
            return CustomerReference(prefix: String(decoding: UnsafeRawBufferPointer(rebasing: key[9...]), as: UTF8.self), number: number)
        }
        return CustomerReference.parse(String(decoding: key, as: UTF8.self))
    }

    /// The key of stores of format 1, and of entries written before format 4: the upper-cased reference text.
    static func legacyReferenceKey(_ reference: String) -> [UInt8] {
        Array(reference.trimmingWhitespace(newlines: true).uppercased().utf8)
    }

    /// Stores of format 1 keep the older layout (text keys and the counter), which builds that know only that
    /// format still read and write; `migrate` brings them over.
    static func keepsLegacyLayout(_ reader: StoreReader) throws -> Bool {
        try reader.recordedFormatVersion() < EventStore.sealedFormatVersion
    }

    static func bytes(of id: CustomerID) -> [UInt8] { id.uuid.bytes }

    static func customerID(from bytes: UnsafeRawBufferPointer) -> CustomerID? {
        UUID(bytes: bytes).map(CustomerID.init)
    }
}
