import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Mail
import Projections
import TestSupport

/// A clock the tests move by hand, so that backoff, lease expiry and token expiry are checked without sleeping.
final class OutboxManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// 2030-01-01T12:00:00Z unless told otherwise.
    init(_ start: Date = Date(timeIntervalSince1970: 1_893_499_200)) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// A real store in a temporary folder, opened through `CustomerService` with a manual clock.
final class OutboxTestStore {
    let folder = TemporaryDirectory("outbox")
    let clock = OutboxManualClock()
    let service: CustomerService
    let metadata = CommandMetadata(actor: "outbox-test")

    init() throws {
        let clock = self.clock
        service = try CustomerService(directory: folder.path("store"), clock: { clock.now })
    }

    var storeURL: URL { folder.path("store") }

    @discardableResult
    func create(
        _ email: String, first: String = "Maria", last: String = "Williams", locale: String? = nil, passwordToken: Bool = false
    ) throws -> CommandOutcome {
        try service.create(
            CustomerForm(email: email, salutation: "Ms", firstName: first, lastName: last, locale: locale),
            sendPasswordToken: passwordToken, metadata: metadata)
    }

    /// Creates `count` customers in one transaction (`customerN@example.com`).
    func createMany(_ count: Int, passwordToken: Bool = false, offset: Int = 0) throws {
        let forms = (0..<count).map { index in
            (form: CustomerForm(email: "customer\(offset + index)@example.com", salutation: "Mr", firstName: "Max",
                                lastName: "Mustermann\(offset + index)"), sendPasswordToken: passwordToken)
        }
        let results = try service.createMany(forms, metadata: metadata)
        for result in results { _ = try result.get() }
    }

    func dispatcher(_ transport: any MailTransport, id: String = UUID().uuidString, batchSize: Int = 100) throws -> OutboxDispatcher {
        try OutboxDispatcher(
            service: service, transport: transport, metadata: metadata,
            options: .init(batchSize: batchSize, dispatcherID: id))
    }

    func fileTransport(_ name: String = "mail") -> FileTransport {
        FileTransport(directory: folder.path(name))
    }

    func entries(_ state: String? = nil) throws -> [OutboxEntry] { try service.outboxEntries(state: state) }

    func entry(_ id: UUID) throws -> OutboxEntry? { try service.store.read { try service.outbox.entry(id, in: $0) } }

    /// The delivery events recorded for one entry, oldest first.
    func outcomes(of entryId: UUID) throws -> [OutboxEvent] {
        try service.store.readStream(try StreamName(OutboxEvent.streamName(forEntry: entryId))).map {
            try OutboxEvent.decode(typeName: $0.type, schemaVersion: $0.schemaVersion, bytes: $0.payload)
        }
    }

    /// `.eml` files in a folder, and anything else found there (temporary files must not survive).
    func files(in name: String = "mail") -> (eml: [String], other: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path(name).path)) ?? []
        return (names.filter { $0.hasSuffix(".eml") }.sorted(), names.filter { !$0.hasSuffix(".eml") })
    }
}

/// Every key/value pair of a table, for byte-for-byte comparisons.
func outboxTableContents(_ name: String, in reader: StoreReader) throws -> [[UInt8]] {
    var rows: [[UInt8]] = []
    try reader.withCursor(reader.table(TableSpec(name))) { cursor in
        var positioned = try cursor.first()
        while positioned {
            rows.append(Array(cursor.key) + [0xFF] + Array(cursor.value))
            positioned = try cursor.next()
        }
    }
    return rows
}

/// Replays the whole log into `projection`'s tables (emptied first), the way a rebuild does.
func outboxReplay(_ projection: EmailOutbox, store: EventStore) throws {
    try store.write { writer in
        let projection = try projection.live(in: writer)
        for table in projection.tables { try writer.removeAll(writer.table(table)) }
        let events = try writer.readAll()
        for event in events { try projection.apply(event, in: writer) }
        try writer.saveCheckpoint(projection.name, position: events.last?.position ?? 0)
    }
}
