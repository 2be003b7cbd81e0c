import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// The directory and the outbox are bulk-loaded by running their own `apply` against an in-memory overlay of
/// their empty tables (`TableOverlay`, `OverlayBulkLoader`): the rebuilt bytes equal the incremental path's, also
/// when the overlay fills up midway and when a rebuild is killed between two of its bulk write transactions.
final class OverlayBulkLoadTests: XCTestCase {
    private static let catalog = ProjectionCatalog([CustomerDirectory(), EmailOutbox()])

    private static func liveTables(_ store: EventStore) throws -> [[([UInt8], [UInt8])]] {
        try store.read { reader in
            try (CustomerDirectory().live(in: reader).tables + EmailOutbox().live(in: reader).tables)
                .filter { $0 != ActiveTableSet.table }
                .map { try RebuildTests.dump(reader.table($0), in: reader) }
        }
    }

    /// Creations, resends, verifications, email changes (confirmed, pending, at once), every delivery outcome,
    /// and erasures: everything the directory and the outbox act on.
    private static func history(_ fixture: CustomerFixture, customers: Int, seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var ids: [CustomerID] = []
        var serial = 0
        while ids.count < customers {
            ids += try fixture.create(CustomerListTests.forms(count: 1 + random.next(20), seed: random.nextUInt64()), passwordToken: random.next(2) == 0)
            fixture.clock.advance(Double(random.next(100)))
            let id = ids[random.next(ids.count)]
            serial += 1
            switch random.next(7) {
            case 0: try fixture.verify(ids.filter { _ in random.next(4) == 0 })
            case 1: try fixture.resendVerification(id)
            case 2:
                try fixture.changeEmail(id, to: "changed\(serial)@example.org")
                if random.next(2) == 0 { try fixture.confirmEmailChange(id) }
            case 3: try fixture.changeEmail(id, to: "fixed\(serial)@example.org", reason: "typo")
            case 4: try deliver(fixture, outcomes: random.next(4), serial: serial)
            case 5: try forget(fixture, id)
            default: try fixture.appendUnrelatedEvents()
            }
        }
        for kind in 0..<4 { try deliver(fixture, outcomes: kind, serial: serial + kind) }
    }

    /// An outcome for each of the oldest pending entries: sent, failed, dead then requeued.
    private static func deliver(_ fixture: CustomerFixture, outcomes kind: Int, serial: Int) throws {
        let pending = try fixture.store.read { try EmailOutbox().allEntries(state: "pending", in: $0) }.prefix(3)
        let now = fixture.clock.now
        for entry in pending {
            var outcomes: [OutboxEvent]
            switch kind {
            case 0: outcomes = [.sent(EmailSent(entryId: entry.id, attempt: 1, sentAt: now, transport: "file", messageId: entry.messageId, detail: "x\(serial).eml"))]
            case 1: outcomes = [.deliveryFailed(EmailDeliveryFailed(entryId: entry.id, attempt: 1, failedAt: now, error: "421 busy", nextAttemptAt: now.addingTimeInterval(60)))]
            case 2:
                outcomes = [
                    .dead(EmailDead(entryId: entry.id, attempts: 1, at: now, reason: .rejected, message: "550 no such user")),
                    .requeued(EmailRequeued(entryId: entry.id, requeuedAt: now, previousAttempts: 1)),
                ]
            default: outcomes = [.dead(EmailDead(entryId: entry.id, attempts: 0, at: now, reason: .tokenSuperseded, message: "replaced"))]
            }
            let stream = try StreamName(OutboxEvent.streamName(forEntry: entry.id))
            try fixture.store.append(
                outcomes.map { EventData(type: $0.typeName, schemaVersion: $0.schemaVersion, metadata: EventMetadata(actor: "dispatcher"), payload: $0.encodePayload()) },
                to: stream, expectedVersion: .any)
        }
    }

    private static func forget(_ fixture: CustomerFixture, _ id: CustomerID) throws {
        try fixture.store.write { writer in
            let (state, version) = try fixture.state(of: id, in: writer)
            guard state.erasedAt == nil else { return }
            let events = try CustomerDecider.decide(.forget(reason: "asked by letter"), state: state, context: fixture.context())
            try writer.append(
                events.map { EventData(type: $0.typeName, schemaVersion: $0.schemaVersion, metadata: EventMetadata(actor: "dpo"), payload: $0.encodePayload()) },
                to: StreamName(id.streamName), expectedVersion: .exact(version))
        }
    }

    func testTheOverlayAnswersLikeATableAndGivesItsEntriesInKeyOrder() throws {
        let spec = TableSpec("overlay-test")
        let overlay = TableOverlay(tables: [spec])
        var oracle: [[UInt8]: [UInt8]] = [:]
        var random = SeededRandom(seed: 5)
        // Keys that are other keys followed by zero bytes, and many random ones (the index grows several times).
        var keys: [[UInt8]] = [[0x61], [0x61, 0], [0x61, 0, 0], [0x61, 0x62], Array(repeating: 7, count: 511)]
        for _ in 0..<5000 { keys.append((0..<(1 + random.next(24))).map { _ in UInt8(random.next(4)) }) }
        for step in 0..<20_000 {
            let key = keys[random.next(keys.count)]
            if random.next(4) == 0 {
                XCTAssertEqual(try overlay.delete(spec, key), oracle.removeValue(forKey: key) != nil)
            } else {
                let value = (0..<random.next(3 * (1 + step % 7))).map { _ in UInt8(random.next(256)) }
                try overlay.put(spec, key, value)
                oracle[key] = value
            }
        }
        for key in keys { XCTAssertEqual(try overlay.get(spec, key) { Array($0) }, oracle[key]) }
        var walked = 0
        try overlay.forEach(spec) { key, value in
            XCTAssertEqual(oracle[Array(key)], Array(value))
            walked += 1
        }
        XCTAssertEqual(walked, oracle.count)
        let sorted = overlay.sorted(0)
        let written = (0..<sorted.count).map { (Array(sorted.entry($0).key), Array(sorted.entry($0).value)) }
        let expected = oracle.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        XCTAssertEqual(written.map(\.0), expected.map(\.key))
        XCTAssertEqual(written.map(\.1), expected.map(\.value))
        XCTAssertThrowsError(try overlay.put(spec, [], [1]))
        XCTAssertThrowsError(try overlay.put(spec, [UInt8](repeating: 1, count: 512), [1]))
    }

    func testBulkLoadedDirectoryAndOutboxEqualTheIncrementalPathByteForByte() throws {
        let fixture = try CustomerFixture(catalog: Self.catalog)
        try Self.history(fixture, customers: 300, seed: 71)
        let live = try Self.liveTables(fixture.store)
        XCTAssertGreaterThan(live[0].count, 200, "emails")
        XCTAssertGreaterThan(live[7].count, 300, "outbox entries")
        XCTAssertGreaterThan(live[4].count, 0, "email reservations")
        let entries = try fixture.store.read { try EmailOutbox().allEntries(in: $0) }
        XCTAssertEqual(Set(entries.map(\.state.name)), ["pending", "sent", "failed", "dead"])

        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: Self.catalog)
        rebuilder.bulkReadChunk = 64
        try rebuilder.rebuild()
        RebuildTests.assertSame(try Self.liveTables(fixture.store), live)
        XCTAssertTrue(try rebuilder.verify().isConsistent)

        // An overlay that fills up midway hands over to the chunked replay: the same bytes.
        rebuilder.bulkCustomerLimit = 40
        try rebuilder.rebuild()
        RebuildTests.assertSame(try Self.liveTables(fixture.store), live)

        // The same without any bulk load.
        rebuilder.bulkLoad = false
        try rebuilder.rebuild()
        RebuildTests.assertSame(try Self.liveTables(fixture.store), live)
    }

    func testBothAreBulkLoadedAndAKilledBulkWriteIsResumed() throws {
        let fixture = try CustomerFixture(catalog: Self.catalog)
        try Self.history(fixture, customers: 200, seed: 73)
        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: Self.catalog)
        rebuilder.bulkTransactionBytes = 1024
        var loaders: Set<Int> = []
        // Stopped after each bulk write transaction in turn: the run record names the loader writing.
        for transactions in [1, 12, 30] {
            rebuilder.abandonAfterBulkTransactions = transactions
            XCTAssertThrowsError(try rebuilder.rebuild()) { XCTAssertTrue($0 is ProjectionRebuilder.Abandoned) }
            guard case .bulkWriting(let write)? = try fixture.store.read({ try RunRecord.load(in: $0) })?.phase else {
                return XCTFail("the run record should say how far the bulk writes got")
            }
            loaders.insert(write.loader)
        }
        XCTAssertEqual(loaders, [0, 1], "the directory (0) and the outbox (1) both write in bulk")
        // Appended after the kill: the resumed bulk load reads as far as before, the replay does the rest.
        try fixture.create(CustomerFixture.form("After", "Kill", "after.kill@example.com"), passwordToken: true)
        let expected = try Self.liveTables(fixture.store)

        rebuilder.abandonAfterBulkTransactions = nil
        let report = try rebuilder.rebuild()
        XCTAssertTrue(report.resumed)
        RebuildTests.assertSame(try Self.liveTables(fixture.store), expected)
        XCTAssertTrue(try rebuilder.verify().isConsistent)
        try fixture.store.read { reader in
            XCTAssertNotNil(try CustomerDirectory().customer(withEmail: "after.kill@example.com", in: reader))
        }
    }
}
