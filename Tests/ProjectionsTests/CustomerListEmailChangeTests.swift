import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// The list and the directory follow email changes: the old address stays listed and taken until the new one
/// is confirmed, a pending address is reserved until its link expires, and a rebuild — bulk or chunked — writes
/// exactly the bytes the live projections hold after them.
final class CustomerListEmailChangeTests: XCTestCase {
    private static let catalog = ProjectionCatalog([CustomerDirectory(), CustomerListView(), EmailOutbox()])

    private func emails(_ fixture: CustomerFixture, search: String? = nil) throws -> [String] {
        try fixture.page(CustomerListQuery(search: search, sort: .email)).items.map(\.profile.email)
    }

    func testTheOldAddressStaysListedUntilTheNewOneIsConfirmed() throws {
        let fixture = try CustomerFixture(catalog: Self.catalog)
        let ann = try fixture.create(CustomerFixture.form("Ann", "Lee", "zed@example.com"))
        try fixture.create(CustomerFixture.form("Bob", "Ray", "mid@example.com"))
        let directory = CustomerDirectory()

        try fixture.changeEmail(ann, to: "Alpha@Example.com")
        XCTAssertEqual(try emails(fixture), ["mid@example.com", "zed@example.com"])
        XCTAssertEqual(try emails(fixture, search: "alpha"), [])
        try fixture.store.read { reader in
            XCTAssertEqual(try directory.customer(withEmail: "zed@example.com", in: reader), ann)
            XCTAssertNil(try directory.customer(withEmail: "alpha@example.com", in: reader), "pending is not current")
            XCTAssertTrue(try directory.isEmailTaken("ALPHA@example.com", byAnyoneBut: nil, at: fixture.clock.now, in: reader))
            XCTAssertFalse(try directory.isEmailTaken("alpha@example.com", byAnyoneBut: ann, at: fixture.clock.now, in: reader),
                           "the customer's own pending address is not taken for it")
            XCTAssertFalse(try directory.isEmailTaken("alpha@example.com", byAnyoneBut: nil, at: fixture.clock.now + 7 * 86_400, in: reader),
                           "free once the link has expired")
        }

        try fixture.confirmEmailChange(ann)
        XCTAssertEqual(try emails(fixture), ["Alpha@Example.com", "mid@example.com"])
        XCTAssertEqual(try emails(fixture, search: "alpha"), ["Alpha@Example.com"])
        XCTAssertEqual(try emails(fixture, search: "zed"), [])
        try fixture.store.read { reader in
            XCTAssertEqual(try directory.customer(withEmail: "alpha@example.com", in: reader), ann)
            XCTAssertNil(try directory.customer(withEmail: "zed@example.com", in: reader), "the old address is released")
            XCTAssertFalse(try directory.isEmailTaken("zed@example.com", byAnyoneBut: nil, at: fixture.clock.now, in: reader))
            XCTAssertNil(try directory.reservation(of: "alpha@example.com", in: reader), "the reservation ends with the switch")
        }
    }

    func testANewerChangeOrASwitchAtOnceReleasesTheOlderReservation() throws {
        let fixture = try CustomerFixture(catalog: Self.catalog)
        let ann = try fixture.create(CustomerFixture.form("Ann", "Lee", "ann@example.com"))
        let directory = CustomerDirectory()
        try fixture.changeEmail(ann, to: "first@example.com")
        try fixture.changeEmail(ann, to: "second@example.com")
        try fixture.store.read { reader in
            XCTAssertNil(try directory.reservation(of: "first@example.com", in: reader))
            XCTAssertEqual(try directory.reservation(of: "second@example.com", in: reader)?.customer, ann)
        }
        try fixture.changeEmail(ann, to: "fixed@example.com", reason: "typo")
        XCTAssertEqual(try emails(fixture), ["fixed@example.com"])
        try fixture.store.read { reader in
            XCTAssertNil(try directory.reservation(of: "second@example.com", in: reader))
            XCTAssertFalse(try directory.isEmailTaken("second@example.com", byAnyoneBut: nil, at: fixture.clock.now, in: reader))
            XCTAssertEqual(try directory.customer(withEmail: "fixed@example.com", in: reader), ann)
            XCTAssertNil(try directory.customer(withEmail: "ann@example.com", in: reader))
        }
    }

    func testAnExpiredReservationIsTakenOverByAnotherCustomer() throws {
        let fixture = try CustomerFixture(catalog: Self.catalog)
        let ann = try fixture.create(CustomerFixture.form("Ann", "Lee", "ann@example.com"))
        let bob = try fixture.create(CustomerFixture.form("Bob", "Ray", "bob@example.com"))
        let directory = CustomerDirectory()
        try fixture.changeEmail(ann, to: "shared@example.com")
        fixture.clock.advance(8 * 86_400)
        try fixture.changeEmail(bob, to: "shared@example.com")
        try fixture.store.read { reader in
            XCTAssertEqual(try directory.reservation(of: "shared@example.com", in: reader)?.customer, bob)
        }
        // Ann's newer change must not release Bob's reservation of the address she once asked for.
        try fixture.changeEmail(ann, to: "other@example.com")
        try fixture.store.read { reader in
            XCTAssertEqual(try directory.reservation(of: "shared@example.com", in: reader)?.customer, bob)
        }
        try fixture.create(CustomerFixture.form("Cy", "Ode", "other2@example.com"))
        XCTAssertTrue(try Self.rebuilder(fixture).verify().isConsistent)
    }

    /// Creations, verifications, edits and email changes (asked, superseded, confirmed, expired, made at once),
    /// in transactions of varying size.
    static func historyWithEmailChanges(_ fixture: CustomerFixture, seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var ids: [CustomerID] = []
        var serial = 0
        for _ in 0..<10 {
            ids += try fixture.create(CustomerListTests.forms(count: 5 + random.next(25), seed: random.nextUInt64()))
            if random.next(2) == 0 { try fixture.verify(ids.filter { _ in random.next(3) == 0 }) }
            for _ in 0..<(1 + random.next(15)) {
                let id = ids[random.next(ids.count)]
                serial += 1
                let domain = ["a.example", "m.example", "z.example"][random.next(3)]
                switch random.next(5) {
                case 0: try fixture.changeEmail(id, to: "Changed\(serial)@\(domain)", reason: "operator fix")
                case 1: try fixture.confirmEmailChange(id)
                case 2: try fixture.edit(id, EditCustomer(lastName: ["Smith", "Smyth", "Anna"][random.next(3)]))
                default: try fixture.changeEmail(id, to: "pending\(serial)@\(domain)")
                }
                if random.next(3) == 0 { try fixture.confirmEmailChange(id) }
            }
            fixture.clock.advance(Double(random.next(3)) * 5 * 3_600)
        }
    }

    static func rebuilder(_ fixture: CustomerFixture) throws -> ProjectionRebuilder {
        try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
    }

    static func directoryTables(_ store: EventStore) throws -> [[([UInt8], [UInt8])]] {
        try store.read { reader in try CustomerDirectory().live(in: reader).tables.map { try RebuildTests.dump(reader.table($0), in: reader) } }
    }

    func testEveryRebuildAfterEmailChangesReproducesTheLiveBytes() throws {
        let fixture = try CustomerFixture(catalog: Self.catalog)
        try Self.historyWithEmailChanges(fixture, seed: 7)
        let live = try RebuildTests.liveList(fixture.store)
        let liveDirectory = try Self.directoryTables(fixture.store)
        XCTAssertGreaterThan(liveDirectory[4].count, 0, "the history leaves reservations behind")

        var rebuilder = try Self.rebuilder(fixture)
        rebuilder.chunkSize = 41
        rebuilder.bulkLoad = false
        try rebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(fixture.store), live)
        RebuildTests.assertSame(try Self.directoryTables(fixture.store), liveDirectory)

        rebuilder.bulkLoad = true
        rebuilder.bulkReadChunk = 30
        try rebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(fixture.store), live)
        RebuildTests.assertSame(try Self.directoryTables(fixture.store), liveDirectory)
        XCTAssertTrue(try rebuilder.verify().isConsistent)

        let oracle = try ListOracle(store: fixture.store)
        for sort in [CustomerListSort.email, .created] {
            for search in [nil, "changed", "pending", "z.example", "example"] {
                let query = CustomerListQuery(search: search, sort: sort, limit: 1000)
                XCTAssertEqual(try fixture.page(query).items, oracle.matches(query), "\(sort) \(String(describing: search))")
            }
        }
    }
}
