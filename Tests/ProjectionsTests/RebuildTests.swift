import CompactCodec
import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

final class RebuildTests: XCTestCase {
    /// Every entry of the live customer list, table by table (whichever table set is live); the trigram
    /// index as its postings (blocks and pending records together: the form in which it is compared, since
    /// where pending postings were merged may cut the blocks differently).
    static func liveList(_ store: EventStore) throws -> [[([UInt8], [UInt8])]] {
        try store.read { reader in
            let suffix = try ActiveTableSet.suffix(of: CustomerListView.defaultName, in: reader)
            let names = CustomerListTableNames(base: CustomerListView.defaultName, suffix: suffix)
            return try names.specs.filter { $0 != names.pendingGrams }.map { spec in
                if spec == names.byteBits { return try ByteBits.content(CustomerListTables(names, in: reader).grams, in: reader) }
                guard spec == names.grams else { return try dump(reader.table(spec), in: reader) }
                return try TrigramIndex.postings(CustomerListTables(names, in: reader).grams, in: reader)
            }
        }
    }

    static func dump(_ table: Table, in reader: StoreReader) throws -> [([UInt8], [UInt8])] {
        try reader.withCursor(table) { cursor in
            var entries: [([UInt8], [UInt8])] = []
            var positioned = try cursor.first()
            while positioned {
                entries.append((Array(cursor.key), Array(cursor.value)))
                positioned = try cursor.next()
            }
            return entries
        }
    }

    static func assertSame(_ lhs: [[([UInt8], [UInt8])]], _ rhs: [[([UInt8], [UInt8])]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(lhs.count, rhs.count, file: file, line: line)
        for (left, right) in zip(lhs, rhs) {
            XCTAssertEqual(left.count, right.count, file: file, line: line)
            XCTAssertTrue(zip(left, right).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }, file: file, line: line)
        }
    }

    /// Creations in batches of varying size, verifications both in the same and in later transactions, resends,
    /// imports and unrelated events, in a random order.
    static func randomHistory(_ fixture: CustomerFixture, seed: UInt64, customers: Int = 300) throws {
        var random = SeededRandom(seed: seed)
        var ids: [CustomerID] = []
        var remaining = customers
        while remaining > 0 {
            let count = min(remaining, 1 + random.next(40))
            ids += try fixture.create(CustomerListTests.forms(count: count, seed: random.nextUInt64()), passwordToken: random.next(2) == 0)
            remaining -= count
            fixture.clock.advance(Double(random.next(100)))
            switch random.next(4) {
            case 0: try fixture.verify(ids.filter { _ in random.next(5) == 0 })
            case 1: try fixture.resendVerification(ids[random.next(ids.count)])
            case 2: try fixture.importCustomer(CustomerFixture.form("Imp", "Orted\(remaining)", "imp\(remaining)@example.com"), registeredOn: random.next(2) == 0 ? CalendarDate(year: 2020, month: 1, day: 2) : nil)
            default: try fixture.appendUnrelatedEvents()
            }
        }
    }

    func testRebuildReproducesTheLiveProjectionByteForByte() throws {
        let fixture = try CustomerFixture()
        try Self.randomHistory(fixture, seed: 21)
        let live = try Self.liveList(fixture.store)
        XCTAssertGreaterThan(live[0].count, 290)

        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        rebuilder.chunkSize = 97
        rebuilder.bulkLoad = false
        var reports: [RebuildProgress] = []
        let report = try rebuilder.rebuild { reports.append($0) }
        let head = try fixture.store.headPosition()
        XCTAssertEqual(report.position, head)
        XCTAssertGreaterThan(reports.count, 3)
        XCTAssertEqual(reports.last?.isFinished, true)
        XCTAssertEqual(reports.last?.processed, head)
        XCTAssertEqual(reports.map(\.processed), reports.map(\.processed).sorted())
        XCTAssertEqual(try fixture.store.read { try ActiveTableSet.suffix(of: "customer-list", in: $0) }, ".b")
        XCTAssertEqual(try fixture.store.checkpoint("customer-list"), head)
        Self.assertSame(try Self.liveList(fixture.store), live)

        // The old set was emptied; a bulk rebuild switches back and is again identical.
        let idleRows = try fixture.store.read { try $0.count($0.table(TableSpec("customer-list.rows"))) }
        XCTAssertEqual(idleRows, 0)
        rebuilder.bulkLoad = true
        rebuilder.bulkReadChunk = 100
        reports = []
        try rebuilder.rebuild { reports.append($0) }
        XCTAssertGreaterThan(reports.count, 3)
        XCTAssertEqual(try fixture.store.read { try ActiveTableSet.suffix(of: "customer-list", in: $0) }, "")
        Self.assertSame(try Self.liveList(fixture.store), live)

        // A bulk load that fills up half-way hands over to the chunked replay: still the same bytes.
        rebuilder.bulkCustomerLimit = 120
        try rebuilder.rebuild()
        Self.assertSame(try Self.liveList(fixture.store), live)

        // The live set keeps following appends after a switch, and verify agrees.
        try fixture.create(CustomerListTests.forms(count: 5, seed: 99))
        XCTAssertTrue(try rebuilder.verify().isConsistent)
        let oracle = try ListOracle(store: fixture.store)
        XCTAssertEqual(try fixture.page(CustomerListQuery(limit: 1000)).items, oracle.matches(CustomerListQuery()))
    }

    func testVerifyReportsCorruptedEntriesWithoutChangingTheLiveProjection() throws {
        let fixture = try CustomerFixture()
        try Self.randomHistory(fixture, seed: 4, customers: 60)
        let rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        XCTAssertTrue(try rebuilder.verify().isConsistent)

        let victim = try XCTUnwrap(try fixture.page(CustomerListQuery(limit: 5)).items.last)
        var wrong = victim
        wrong.profile.lastName = "Tampered"
        try fixture.store.write { writer in
            let rows = writer.table(TableSpec("customer-list.rows"))
            let order = writer.table(TableSpec("customer-list.order"))
            try writer.put(rows, BigEndianUInt64(victim.creationSequence), CustomerRowCodec.encode(wrong))
            try writer.put(order, Array("\u{7}junk".utf8), [UInt8]())
            let key = ListOrderKey.key(
                field: .created, status: victim.status,
                suffix: ListOrderKey.suffix(field: .created, collation: ListOrderKey.collation(of: victim, .created), sequence: victim.creationSequence))
            XCTAssertTrue(try writer.delete(order, key))
        }
        let corrupted = try Self.liveList(fixture.store)

        let report = try rebuilder.verify()
        XCTAssertFalse(report.isConsistent)
        XCTAssertEqual(report.differenceCount, 3)
        let described = Set(report.differences.map { "\($0.table) \($0.kind.rawValue)" })
        XCTAssertEqual(described, ["customer-list.rows different", "customer-list.order extra", "customer-list.order missing"])
        let rowDifference = try XCTUnwrap(report.differences.first { $0.kind == .different })
        XCTAssertEqual(rowDifference.key, BigEndianUInt64(victim.creationSequence).bytes)
        XCTAssertEqual(rowDifference.projection, "customer-list")
        XCTAssertEqual(try rowDifference.rebuiltValue.map { value in try value.withUnsafeBytes { try CustomerRowCodec.decode(sequence: victim.creationSequence, bytes: $0) } }, victim)
        XCTAssertTrue(report.differences.contains { $0.readableKey == "\\x07junk" })
        // verify neither repaired nor switched anything, and left no shadow rows behind.
        Self.assertSame(try Self.liveList(fixture.store), corrupted)
        XCTAssertEqual(try fixture.store.read { try ActiveTableSet.suffix(of: "customer-list", in: $0) }, "")
        XCTAssertEqual(try fixture.store.read { try $0.count($0.table(TableSpec("customer-list.b.rows"))) }, 0)

        try rebuilder.rebuild()
        XCTAssertTrue(try rebuilder.verify().isConsistent)
        XCTAssertEqual(try fixture.store.read { try CustomerListView.row(victim.customerId, in: $0) }, victim)
    }

    func testRebuildWhileAnotherThreadAppendsEndsConsistent() throws {
        let fixture = try CustomerFixture()
        try Self.randomHistory(fixture, seed: 8, customers: 200)
        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        rebuilder.chunkSize = 40
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        DispatchQueue.global().async {
            do {
                for round in 0..<40 {
                    let ids = try fixture.create(CustomerListTests.forms(count: 5, seed: 500 + UInt64(round)), batch: 5)
                    if round % 3 == 0 { try fixture.verify(ids[0]) }
                }
            } catch {
                failure.set(error)
            }
            done.signal()
        }
        var rounds = 0
        repeat {
            try rebuilder.rebuild()
            rounds += 1
        } while done.wait(timeout: .now()) == .timedOut && rounds < 50
        if rounds >= 50 { done.wait() }
        XCTAssertNil(failure.error)
        XCTAssertTrue(try rebuilder.verify().isConsistent)
        let oracle = try ListOracle(store: fixture.store)
        XCTAssertEqual(oracle.rows.count, 200 + 200 + (try fixture.page(CustomerListQuery(search: "imp")).total))
        for sort in CustomerListSort.allCases {
            let query = CustomerListQuery(sort: sort, limit: 10_000)
            XCTAssertEqual(try fixture.page(query).items, oracle.matches(query), "\(sort)")
        }
    }

    func testAnAbandonedRebuildLeavesTheLiveProjectionIntactAndTheNextOneSucceeds() throws {
        let fixture = try CustomerFixture()
        try Self.randomHistory(fixture, seed: 13, customers: 150)
        let before = try Self.liveList(fixture.store)
        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        rebuilder.chunkSize = 50
        rebuilder.bulkLoad = false
        rebuilder.abandonAfterChunks = 3
        XCTAssertThrowsError(try rebuilder.rebuild()) { XCTAssertTrue($0 is ProjectionRebuilder.Abandoned) }
        // Half-built shadow rows exist, but nothing reads them: the live list is as it was.
        XCTAssertGreaterThan(try fixture.store.read { try $0.count($0.table(TableSpec("customer-list.b.rows"))) }, 0)
        Self.assertSame(try Self.liveList(fixture.store), before)
        XCTAssertEqual(try fixture.store.checkpoint("customer-list"), try fixture.store.headPosition())
        // Appends keep applying to the live set.
        try fixture.create(CustomerFixture.form("After", "Crash", "after@example.com"))
        XCTAssertEqual(try fixture.page(CustomerListQuery(search: "after@")).total, 1)

        rebuilder.abandonAfterChunks = nil
        XCTAssertTrue(try rebuilder.verify().isConsistent)
        try rebuilder.rebuild()
        XCTAssertTrue(try rebuilder.verify().isConsistent)
        XCTAssertEqual(try fixture.page(CustomerListQuery(search: "after@")).total, 1)
    }

    func testASecondRebuildSupersedesTheFirst() throws {
        let fixture = try CustomerFixture()
        try Self.randomHistory(fixture, seed: 17, customers: 120)
        var first = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        first.chunkSize = 30
        let second = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        var started = false
        let failure = ErrorBox()
        XCTAssertThrowsError(try first.rebuild { _ in
            guard !started else { return }
            started = true
            let group = DispatchGroup()
            group.enter()
            DispatchQueue.global().async {
                do { try second.rebuild() } catch { failure.set(error) }
                group.leave()
            }
            group.wait()
        }) { XCTAssertEqual($0 as? ProjectionError, .rebuildSuperseded) }
        XCTAssertNil(failure.error)
        XCTAssertTrue(try second.verify().isConsistent)
    }

    func testACopyMethodProjectionIsRebuiltAndVerifiedByTheSameMachinery() throws {
        let catalog = ProjectionCatalog([CustomerListView(), EventTypeCounter()])
        let fixture = try CustomerFixture(catalog: catalog)
        try Self.randomHistory(fixture, seed: 31, customers: 80)
        func counts() throws -> [([UInt8], [UInt8])] {
            try fixture.store.read { try Self.dump($0.table(TableSpec("type-counts")), in: $0) }
        }
        func streamEvents() throws -> [([UInt8], [UInt8])] {
            try fixture.store.read { try Self.dump($0.table(TableSpec("stream-events")), in: $0) }
        }
        let liveCounts = try counts()
        let liveStreams = try streamEvents()
        XCTAssertFalse(liveCounts.isEmpty)
        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: catalog)
        rebuilder.chunkSize = 64
        try rebuilder.rebuild()
        Self.assertSame([try counts(), try streamEvents()], [liveCounts, liveStreams])
        XCTAssertEqual(try fixture.store.read { try $0.count($0.table(TableSpec("type-counts.shadow"))) }, 0)
        XCTAssertEqual(try fixture.store.checkpoint("event-types"), try fixture.store.headPosition())

        try fixture.store.write { writer in
            try writer.put(writer.table(TableSpec("type-counts")), Array("CustomerCreated".utf8), BigEndianUInt64(1))
            try writer.put(writer.table(TableSpec("stream-events")), Array("bogus".utf8), BigEndianUInt64(7))
        }
        let report = try rebuilder.verify()
        XCTAssertEqual(Set(report.differences.map { "\($0.projection) \($0.table) \($0.readableKey) \($0.kind.rawValue)" }), [
            "event-types type-counts CustomerCreated different", "event-types stream-events bogus extra",
        ])
        try rebuilder.rebuild()
        Self.assertSame([try counts(), try streamEvents()], [liveCounts, liveStreams])
    }
}

/// A small projection with fixed table names (`.copy` swap), including a duplicate-sorted table, standing in for
/// projections such as the customer directory.
struct EventTypeCounter: RebuildableProjection {
    let suffix: String
    init(suffix: String = "") { self.suffix = suffix }
    var name: String { "event-types" }
    var tables: [TableSpec] {
        [TableSpec("type-counts" + suffix), TableSpec("stream-events" + suffix, flags: [.duplicateSort, .duplicateFixed])]
    }
    func withTableSuffix(_ suffix: String) -> EventTypeCounter { EventTypeCounter(suffix: suffix) }

    func apply(_ event: RecordedEvent, in writer: StoreWriter) throws {
        let counts = writer.table(TableSpec("type-counts" + suffix))
        let key = Array(event.type.utf8)
        let current = try writer.get(counts, key) { readBigEndianUInt64($0) } ?? 0
        try writer.put(counts, key, BigEndianUInt64(current + 1))
        try writer.put(writer.table(TableSpec("stream-events" + suffix)), Array(event.stream.rawValue.utf8), BigEndianUInt64(event.position))
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: Error?
    func set(_ error: Error) {
        lock.lock()
        self.error = error
        lock.unlock()
    }
}
