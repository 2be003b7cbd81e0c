import CompactCodec
import CustomerAggregate
import EventStore
import Foundation

/// The email outbox: one entry per email that an event asked for, with its delivery state.
///
/// An inline projection, so an email is queued **in the same write transaction** as the event that asks for it
/// (`VerificationRequested`, `PasswordTokenIssued`): no committed request can lose its email, and no email exists
/// without its request, even across kill -9. Delivery outcomes are events too (`OutboxEvent`, on the streams
/// `outbox-<entry id>`), and this projection consumes them, so replaying the log rebuilds exactly which emails are
/// pending, failed, sent or dead.
///
/// Tables:
/// - `outbox.entries`: entry id (16 bytes) → `OutboxEntry` record
/// - `outbox.due`: due time (µs, u64 BE) ‖ queued position (u64 BE) ‖ entry id → empty: the pending and failed
///   entries in the order the dispatcher takes them, earliest due first, then in request order (sent and dead
///   entries leave it)
/// - `outbox.customers`: customer id (16 bytes) → reference ‖ email, so that an entry shows who it is for
/// - `outbox.states`: state ‖ queued position ‖ entry id → empty: the entries of each state in queue order, for
///   the Outbox page filtered by state (`OutboxStateIndex`)
///
/// Dispatcher leases (`outbox.leases`) are not projection state and are not declared here.
public struct EmailOutbox: RebuildableProjection, OverlayProjection {
    public let name: String
    public let tables: [TableSpec]
    let entries: TableSpec
    let due: TableSpec
    let customers: TableSpec
    let states: TableSpec

    static let entryTable = TableSpec("outbox.entries")
    static let dueTable = TableSpec("outbox.due")
    static let customerTable = TableSpec("outbox.customers")
    static let stateTable = TableSpec("outbox.states")

    public static let defaultName = "email-outbox"

    /// The second table set (see `CustomerDirectory.alternateSuffix`): a rebuild fills the idle set and goes live
    /// by rewriting `active/email-outbox`, so that no write transaction copies the outbox.
    public static let alternateSuffix = ProjectionCatalog.shadowSuffix
    /// nil: follow `ActiveTableSet`; otherwise always the tables with this suffix.
    let pinnedSuffix: String?

    /// The outbox over whichever table set is live.
    public init() {
        self.init(name: Self.defaultName, pinnedSuffix: nil)
    }

    /// A projection of its own (named with the suffix) over the tables named with `tableSuffix` (tests).
    public init(tableSuffix: String) {
        self.init(name: Self.defaultName + tableSuffix, pinnedSuffix: tableSuffix)
    }

    /// The live projection over the tables named with `suffix`, keeping its name: what the rebuilder's
    /// `RebuildableProjection.withTableSuffix(_:)` asks for (tables listed in the same order whatever the suffix).
    public func withTableSuffix(_ suffix: String) -> EmailOutbox {
        EmailOutbox(name: name, pinnedSuffix: suffix)
    }

    private init(name: String, pinnedSuffix: String?) {
        let tableSuffix = pinnedSuffix ?? ""
        self.name = name
        self.pinnedSuffix = pinnedSuffix
        entries = Self.entryTable.withSuffix(tableSuffix)
        due = Self.dueTable.withSuffix(tableSuffix)
        customers = Self.customerTable.withSuffix(tableSuffix)
        states = Self.stateTable.withSuffix(tableSuffix)
        let own = [entries, due, customers, states]
        tables = pinnedSuffix == nil
            ? own + own.map { $0.withSuffix(Self.alternateSuffix) } + [ActiveTableSet.table] : own
    }

    public var swapMethod: RebuildSwapMethod { .switchTableSet(alternateSuffix: Self.alternateSuffix) }

    /// This outbox pinned to the table set that is live in this transaction (one small get).
    public func live(in reader: StoreReader) throws -> EmailOutbox {
        if pinnedSuffix != nil { return self }
        let alternate = try ActiveTableSet.suffix(of: name, in: reader) == Self.alternateSuffix
        if name == Self.defaultName { return alternate ? Self.alternateSet : Self.primarySet }
        return withTableSuffix(alternate ? Self.alternateSuffix : "")
    }

    private static let primarySet = EmailOutbox().withTableSuffix("")
    private static let alternateSet = EmailOutbox().withTableSuffix(alternateSuffix)

    /// Rebuild fast path: the events `apply` acts on, judged without copying them out of the map.
    public func isInterested(in event: EventView) -> Bool {
        event.typeIs(CustomerEvent.createdTypeName) || event.typeIs(CustomerEvent.verificationRequestedTypeName)
            || event.typeIs(CustomerEvent.passwordTokenIssuedTypeName) || event.typeIs(CustomerEvent.passwordSetTypeName)
            || event.typeIs(CustomerEvent.emailChangeRequestedTypeName) || CustomerEvent.emailSwitchTypes.contains(where: event.typeIs)
            || event.typeIs(CustomerEvent.forgottenTypeName) || OutboxEvent.types.contains { event.typeIs($0) }
    }

    public func apply(_ event: RecordedEvent, in writer: StoreWriter) throws {
        if pinnedSuffix == nil { return try live(in: writer).apply(event, in: writer) }
        try apply(ProjectedEvent(event), to: TransactionTables(writer: writer))
    }

    /// What `apply` does, over the live tables or a rebuild's overlay of them (`ProjectionTables`).
    func apply<Tables: ProjectionTables>(_ projected: ProjectedEvent, to tables: Tables) throws {
        let event = projected.recorded
        if CustomerEvent.contains(event) {
            guard let customer = projected.customer, let decoded = try projected.customerEvent() else { return }
            try applyCustomerEvent(decoded, of: customer, event, to: tables)
        } else if OutboxEvent.contains(projected.recorded) {
            try applyOutcome(try OutboxEvent.decode(projected.recorded), to: tables)
        }
    }

    private func applyCustomerEvent<Tables: ProjectionTables>(
        _ decoded: CustomerEvent, of customer: CustomerID, _ event: RecordedEvent, to tables: Tables
    ) throws {
        switch decoded {
        case .created(let created):
            var record = ByteWriter(capacity: 64)
            record.writeString(created.reference.description)
            record.writeString(created.profile.email)
            try tables.put(customers, customer.uuid.bytes, record.bytes)
        case .verificationRequested(let requested):
            try queue(.verification, tokenId: requested.tokenId, expiresAt: requested.expiresAt, for: customer, by: event, in: tables)
        case .passwordTokenIssued(let issued):
            try queue(.passwordSet, tokenId: issued.tokenId, expiresAt: issued.expiresAt, for: customer, by: event, in: tables)
        case .emailVerified:
            // Nothing to change here: the dispatcher sees the customer's state and records "not sent" for a
            // verification email that is no longer needed, so the log says what happened to every email.
            break
        case .passwordSet(let set):
            // The customer changed the password with a link: tell the inbox (an import sets no notice).
            guard set.source == .passwordLink else { return }
            try queue(.passwordChanged, tokenId: set.tokenId ?? event.eventID, expiresAt: set.setAt, for: customer, by: event, in: tables)
        case .passwordRehashed, .signInSucceeded, .signInFailed, .accountLocked:
            break
        case .edited:
            break  // names are read from the customer's state when the email is built
        case .address, .note:
            break  // addresses and notes send no email
        case .emailChangeRequested(let requested):
            // The link goes to the new address; the notice to the current one, while it is still the customer's.
            try queue(.emailChange, tokenId: requested.tokenId, expiresAt: requested.expiresAt, for: customer, by: event,
                      recipient: requested.email, in: tables)
            try queue(.emailChangeNotice, tokenId: requested.tokenId, expiresAt: event.recordedAt, for: customer, by: event,
                      entryId: EmailChangeNotice.entryId(forEvent: event.eventID), in: tables)
        case .emailChangeConfirmed(let confirmed):
            try rememberEmail(confirmed.email, of: customer, in: tables)
        case .emailChanged(let changed):
            try queue(.emailChangeNotice, tokenId: event.eventID, expiresAt: event.recordedAt, for: customer, by: event,
                      recipient: changed.previousEmail, in: tables)
            try rememberEmail(changed.email, of: customer, in: tables)
        case .forgotten:
            try forget(customer, in: tables)
        }
    }

    /// Erasure: the customer's entries lose their recipient (and error text, which may quote it), and those not
    /// yet delivered are given up ("customer missing": nobody is left to write to). O(entries): erasure is rare.
    private func forget<Tables: ProjectionTables>(_ customer: CustomerID, in tables: Tables) throws {
        var record = ByteWriter(capacity: 32)
        let known = try tables.get(customers, customer.uuid.bytes) { bytes -> String in
            var reader = ByteReader(bytes)
            return try reader.readString()
        }
        if let reference = known {
            record.writeString(reference)
            record.writeString("")
            try tables.put(customers, customer.uuid.bytes, record.bytes)
        }
        var affected: [OutboxEntry] = []
        try tables.forEach(entries) { key, value in
            let entry = try OutboxEntry.decode(key: key, value)
            if entry.customerId == customer { affected.append(entry) }
        }
        for entry in affected {
            var next = entry
            next.recipient = ""
            if entry.state.isFinal {
                next.lastError = next.lastError == nil ? nil : "erased with the customer's personal data"
            } else {
                next.state = .dead
                next.deadReason = .customerMissing
                next.lastError = "not sent: the customer's personal data was erased"
            }
            guard next != entry else { continue }
            try save(next, previous: entry, in: tables)
        }
    }

    /// Later emails of the customer go to `email` (the reference stays).
    private func rememberEmail<Tables: ProjectionTables>(_ email: String, of customer: CustomerID, in tables: Tables) throws {
        guard let reference = try tables.get(customers, customer.uuid.bytes, { bytes -> String in
            var reader = ByteReader(bytes)
            return try reader.readString()
        }) else { return }
        var record = ByteWriter(capacity: 64)
        record.writeString(reference)
        record.writeString(email)
        try tables.put(customers, customer.uuid.bytes, record.bytes)
    }

    /// `entryId` is the event's id unless the event asks for two emails; `recipient`, the customer's current
    /// address unless the email goes elsewhere.
    private func queue<Tables: ProjectionTables>(
        _ kind: OutboxEmailKind, tokenId: UUID, expiresAt: Date, for customer: CustomerID, by event: RecordedEvent,
        entryId: UUID? = nil, recipient: String? = nil, in tables: Tables
    ) throws {
        let known = try tables.get(customers, customer.uuid.bytes) { bytes -> (String, String) in
            var reader = ByteReader(bytes)
            return (try reader.readString(), try reader.readString())
        }
        let entry = OutboxEntry(
            id: entryId ?? event.eventID, kind: kind, customerId: customer, reference: known?.0 ?? "",
            recipient: recipient ?? known?.1 ?? "",
            tokenId: tokenId, tokenExpiresAt: expiresAt, queuedAt: event.recordedAt, queuedPosition: event.position,
            state: .pending, attempts: 0, lastError: nil, deadReason: nil, sentAt: nil, transport: nil)
        try save(entry, previous: nil, in: tables)
    }

    private func applyOutcome<Tables: ProjectionTables>(_ outcome: OutboxEvent, to tables: Tables) throws {
        // An outcome for an unknown entry cannot come from this code; ignore it (total, like `evolve`).
        let key = outcome.entryId.bytes
        guard let entry = try tables.get(entries, key, { value in try key.withUnsafeBytes { try OutboxEntry.decode(key: $0, value) } })
        else { return }
        let next = entry.applying(outcome)
        guard next != entry else { return }
        try save(next, previous: entry, in: tables)
    }

    private func save<Tables: ProjectionTables>(_ entry: OutboxEntry, previous: OutboxEntry?, in tables: Tables) throws {
        try ensureStateIndex(in: tables)
        if previous.map({ OutboxStateIndex.code($0.state) }) != OutboxStateIndex.code(entry.state) {
            if let previous { try tables.delete(states, OutboxStateIndex.key(previous)) }
            try tables.put(states, OutboxStateIndex.key(entry), [UInt8]())
        }
        if let oldDue = previous?.dueAt, oldDue != entry.dueAt {
            try tables.delete(due, Self.dueKey(oldDue, entry))
        }
        if let newDue = entry.dueAt, newDue != previous?.dueAt {
            try tables.put(due, Self.dueKey(newDue, entry), [UInt8]())
        }
        try tables.put(entries, entry.id.bytes, entry.encoded())
    }

    /// A table set written before `outbox.states` existed gets the index of all its entries now, once, so that
    /// the index always holds every entry it is marked to hold (`OutboxStateIndex.builtKey`).
    private func ensureStateIndex<Tables: ProjectionTables>(in tables: Tables) throws {
        guard try tables.get(states, OutboxStateIndex.builtKey, { _ in true }) == nil else { return }
        var keys: [[UInt8]] = []
        try tables.forEach(entries) { key, value in keys.append(OutboxStateIndex.key(try OutboxEntry.decode(key: key, value))) }
        for key in keys { try tables.put(states, key, [UInt8]()) }
        try tables.put(states, OutboxStateIndex.builtKey, [UInt8]())
    }

    // MARK: Keys

    /// Microseconds since 1970 (what CompactCodec stores, so keys and records agree), clamped at 0.
    static func micros(_ date: Date) -> UInt64 {
        UInt64(max(0, Int64((date.timeIntervalSince1970 * 1_000_000).rounded())))
    }

    static let dueKeyLength = 32

    static func dueKey(_ date: Date, _ entry: OutboxEntry) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(dueKeyLength)
        appendBigEndian(micros(date), to: &key)
        appendBigEndian(entry.queuedPosition, to: &key)
        key += entry.id.bytes
        return key
    }
}
