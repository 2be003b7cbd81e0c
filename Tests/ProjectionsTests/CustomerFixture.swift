import CustomerAggregate
import CustomerService
import EventStore
import Foundation
@testable import Projections
import TestSupport

/// A settable clock the store and the decider share, so that tests can place events in time.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) { current = start }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}

/// A real store in a temporary folder with the read side attached, and helpers that run commands through
/// `CustomerDecider.decide` and append the events to the customer's stream, as the application does.
final class CustomerFixture: @unchecked Sendable {
    let folder = TemporaryDirectory("projections-test")
    let clock = TestClock()
    let catalog: ProjectionCatalog
    let store: EventStore
    private let lock = NSLock()
    private var nextReference: UInt64 = 1

    init(catalog: ProjectionCatalog = ProjectionCatalog([CustomerListView()])) throws {
        self.catalog = catalog
        let clock = self.clock
        store = try EventStore(
            directory: folder.url, options: .init(clock: { clock.now }),
            projections: catalog.inlineProjections, additionalTables: catalog.additionalTables)
    }

    /// A search merge starts at 256 pending customers instead of the default, so that a test reaches one, and
    /// sees it run and finish, within a few hundred single creates.
    static let smallSearchMergeThreshold = 256

    static func withSmallSearchMerges() throws -> CustomerFixture {
        try CustomerFixture(catalog: ProjectionCatalog([CustomerListView(searchMergeThreshold: smallSearchMergeThreshold)]))
    }

    func takeReference() -> CustomerReference {
        lock.lock()
        defer { lock.unlock() }
        defer { nextReference += 1 }
        return CustomerReference(prefix: "DE", number: nextReference)
    }

    static func form(_ first: String, _ last: String, _ email: String, company: String? = nil) -> CustomerForm {
        CustomerForm(email: email, salutation: "Ms", firstName: first, lastName: last, company: company)
    }

    /// Creates customers, `batch` commands per write transaction.
    @discardableResult
    func create(_ forms: [CustomerForm], passwordToken: Bool = false, actor: String = "alice", batch: Int = 100) throws -> [CustomerID] {
        var ids: [CustomerID] = []
        var start = 0
        while start < forms.count {
            let slice = forms[start..<min(forms.count, start + batch)]
            let commands = slice.map { form in
                CreateCustomer(
                    customerId: CustomerID(UUID()), reference: takeReference(), form: form, sendPasswordToken: passwordToken,
                    emailAlreadyUsed: false, verificationTokenId: UUID(), passwordTokenId: passwordToken ? UUID() : nil)
            }
            try store.write { writer in
                for command in commands {
                    let events = try CustomerDecider.decide(.create(command), state: CustomerDecider.initialState, context: context())
                    try append(events, to: command.customerId, expected: .noStream, actor: actor, in: writer)
                }
            }
            ids += commands.map(\.customerId)
            start += batch
        }
        return ids
    }

    @discardableResult
    func create(_ form: CustomerForm, passwordToken: Bool = false, actor: String = "alice") throws -> CustomerID {
        try create([form], passwordToken: passwordToken, actor: actor)[0]
    }

    /// An import row; `registeredOn` makes the customer Verified from that day.
    @discardableResult
    func importCustomer(_ form: CustomerForm, registeredOn: CalendarDate?, actor: String = "importer") throws -> CustomerID {
        let command = ImportCustomer(
            customerId: CustomerID(UUID()), reference: takeReference(), form: form, emailAlreadyUsed: false,
            registeredOn: registeredOn, verificationTokenId: nil)
        try store.write { writer in
            let events = try CustomerDecider.decide(.importCustomer(command), state: CustomerDecider.initialState, context: context())
            try append(events, to: command.customerId, expected: .noStream, actor: actor, in: writer)
        }
        return command.customerId
    }

    /// Follows the customer's current verification link.
    func verify(_ ids: [CustomerID], actor: String = "customer") throws {
        try store.write { writer in
            for id in ids {
                let (state, version) = try self.state(of: id, in: writer)
                guard state.status == .unverified, let token = state.verificationToken?.id else { continue }
                let events = try CustomerDecider.decide(.verifyEmail(tokenId: token), state: state, context: context())
                try append(events, to: id, expected: .exact(version), actor: actor, in: writer)
            }
        }
    }

    func verify(_ id: CustomerID, actor: String = "customer") throws { try verify([id], actor: actor) }

    func resendVerification(_ id: CustomerID, actor: String = "bob") throws {
        try store.write { writer in
            let (state, version) = try self.state(of: id, in: writer)
            guard state.status == .unverified else { return }
            let events = try CustomerDecider.decide(.resendVerification(tokenId: UUID()), state: state, context: context())
            try append(events, to: id, expected: .exact(version), actor: actor, in: writer)
        }
    }

    /// Edits customers, all in one write transaction, each decided on its latest state (an edit that changes
    /// nothing writes nothing).
    func edit(_ edits: [(CustomerID, EditCustomer)], actor: String = "bob") throws {
        try store.write { writer in
            for (id, edit) in edits {
                let (state, version) = try self.state(of: id, in: writer)
                let events = try CustomerDecider.decide(.edit(edit), state: state, context: context())
                guard !events.isEmpty else { continue }
                try append(events, to: id, expected: .exact(version), actor: actor, in: writer)
            }
        }
    }

    func edit(_ id: CustomerID, _ edit: EditCustomer, actor: String = "bob") throws { try self.edit([(id, edit)], actor: actor) }

    /// Asks for an email change (or makes it at once with a reason), decided on the latest state; nothing when the
    /// decision is empty. The caller keeps addresses unique (the fixture does not consult the directory).
    func changeEmail(_ id: CustomerID, to email: String, reason: String? = nil, actor: String = "bob") throws {
        try store.write { writer in
            let (state, version) = try self.state(of: id, in: writer)
            let command = ChangeEmail(email: email, withoutVerification: reason != nil, reason: reason, emailAlreadyUsed: false, tokenId: UUID())
            let events = try CustomerDecider.decide(.changeEmail(command), state: state, context: context())
            guard !events.isEmpty else { return }
            try append(events, to: id, expected: .exact(version), actor: actor, in: writer)
        }
    }

    /// Follows the customer's email-change link, if one is pending.
    func confirmEmailChange(_ id: CustomerID, actor: String = "customer") throws {
        try store.write { writer in
            let (state, version) = try self.state(of: id, in: writer)
            guard let change = state.emailChange, !change.token.used, !change.token.isExpired(at: clock.now) else { return }
            let command = ConfirmEmailChange(tokenId: change.token.id, emailTakenByAnother: false)
            let events = try CustomerDecider.decide(.confirmEmailChange(command), state: state, context: context())
            try append(events, to: id, expected: .exact(version), actor: actor, in: writer)
        }
    }

    func context() -> DecisionContext { DecisionContext(now: clock.now) }

    func state(of id: CustomerID, in reader: StoreReader) throws -> (CustomerState, UInt64) {
        let events = try reader.readStream(StreamName(id.streamName))
        let decoded = try events.map { try CustomerEvent.decode(typeName: $0.type, schemaVersion: $0.schemaVersion, bytes: $0.payload) }
        return (CustomerDecider.replay(decoded), events.last?.version ?? 0)
    }

    private func append(_ events: [CustomerEvent], to id: CustomerID, expected: ExpectedVersion, actor: String, in writer: StoreWriter) throws {
        let correlation = UUID()
        let data = events.map {
            EventData(
                type: $0.typeName, schemaVersion: $0.schemaVersion,
                metadata: EventMetadata(actor: actor, correlationID: correlation), payload: $0.encodePayload())
        }
        try writer.append(data, to: StreamName(id.streamName), expectedVersion: expected)
    }

    /// Events that are not about the list (settings, outbox deliveries), which the projection must ignore.
    func appendUnrelatedEvents() throws {
        try store.write { writer in
            try writer.append(
                [EventData(type: "SettingChanged", metadata: EventMetadata(actor: "admin"), payload: [1, 2, 3])],
                to: StreamName("settings"), expectedVersion: .any)
            try writer.append(
                [EventData(type: "EmailDelivered", metadata: EventMetadata(actor: "dispatcher"), payload: [9])],
                to: StreamName("outbox"), expectedVersion: .any)
        }
    }

    // MARK: Reading

    /// Cursors sealed as the application seals them: HMAC-SHA256 under a store key.
    static let seal = TokenCodec(key: TokenKey.generate()).listCursorSeal

    func page(_ query: CustomerListQuery) throws -> CustomerListPage {
        try store.read { try CustomerListView.page(query, seal: Self.seal, in: $0) }
    }

    /// Every page of a listing, following the cursors; fails the caller's expectations by throwing on a loop.
    func allPages(_ query: CustomerListQuery) throws -> (rows: [CustomerRow], totals: Set<Int>, pages: Int) {
        var query = query
        var rows: [CustomerRow] = []
        var totals: Set<Int> = []
        var pages = 0
        while true {
            let page = try self.page(query)
            rows += page.items
            totals.insert(page.total)
            pages += 1
            guard let next = page.nextCursor, pages < 10_000 else { break }
            query.cursor = next
        }
        return (rows, totals, pages)
    }
}
