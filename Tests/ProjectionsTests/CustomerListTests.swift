import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

final class CustomerListTests: XCTestCase {
    /// Awkward on purpose: Unicode, case-only differences, many equal sort keys, mixed-case emails.
    static let firstNames = ["Zoë", "zoe", "Ångström", "ÅSA", "anna", "Anna", "ANNA", "Éloïse", "Łukasz", "O'Brien", "Bo", "Li", "Ann-Marie", "Straße"]
    static let lastNames = ["Ørsted", "Smith", "smith", "SMITH", "van der Berg", "Müller", "Mueller", "Ödegaard", "Ng", "Zz", "Åberg", "de la Cruz"]
    static let domains = ["Example.COM", "example.com", "Mail.de", "EXAMPLE.org", "x.io"]

    static func forms(count: Int, seed: UInt64) -> [CustomerForm] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            let first = firstNames[random.next(firstNames.count)]
            let last = lastNames[random.next(lastNames.count)]
            let local = ["\(first).\(last)", "\(last)\(index)", "Info\(index)", "A\(index)"][random.next(4)]
                .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "'", with: "")
            // Emails must be ASCII (validation); the Unicode stays in the names, the mixed case in the emails.
            let asciiLocal = String(String.UnicodeScalarView(local.unicodeScalars.filter(\.isASCII)))
            return CustomerFixture.form(first, last, "\(asciiLocal)+\(index)@\(domains[random.next(domains.count)])")
        }
    }

    /// A store with `count` customers, about 40 % verified, a few imported (one registered = verified).
    static func populated(count: Int, seed: UInt64) throws -> CustomerFixture {
        let fixture = try CustomerFixture()
        var random = SeededRandom(seed: seed ^ 0x9E37)
        let ids = try fixture.create(forms(count: count, seed: seed), passwordToken: true)
        try fixture.appendUnrelatedEvents()
        try fixture.verify(ids.filter { _ in random.next(10) < 4 })
        try fixture.importCustomer(CustomerFixture.form("Imported", "Registered", "reg@Example.com"), registeredOn: CalendarDate(year: 2019, month: 5, day: 1))
        try fixture.importCustomer(CustomerFixture.form("Imported", "Pending", "pending@example.com"), registeredOn: nil)
        return fixture
    }

    static let searches: [String?] = [nil, "a", "ß", "an", "ØR", "smi", "ANNA", "example.com", "de--1", "ö", "zz", "no such text", "@ex"]

    func testEveryOrderDirectionFilterAndSearchMatchesTheOracle() throws {
        let fixture = try Self.populated(count: 220, seed: 7)
        let oracle = try ListOracle(store: fixture.store)
        var checked = 0
        for sort in CustomerListSort.allCases {
            for descending in [false, true] {
                for status in [nil, CustomerStatus.unverified, .verified] {
                    for search in Self.searches {
                        let query = CustomerListQuery(status: status, search: search, sort: sort, descending: descending, limit: 1000)
                        let expected = oracle.matches(query)
                        let page = try fixture.page(query)
                        let label = "\(sort) desc=\(descending) status=\(String(describing: status)) search=\(String(describing: search))"
                        XCTAssertEqual(page.items.map(\.reference), expected.map(\.reference), label)
                        XCTAssertEqual(page.items, expected, label)
                        XCTAssertEqual(page.total, expected.count, label)
                        XCTAssertNil(page.nextCursor, label)
                        checked += 1
                    }
                }
            }
        }
        XCTAssertEqual(checked, 5 * 2 * 3 * Self.searches.count)
    }

    func testPagingThroughCursorsGivesTheSameOrder() throws {
        let fixture = try Self.populated(count: 150, seed: 11)
        let oracle = try ListOracle(store: fixture.store)
        for sort in CustomerListSort.allCases {
            for descending in [false, true] {
                for status in [nil, CustomerStatus.verified] {
                    for search in [nil, "an", "smith", "e"] as [String?] {
                        let query = CustomerListQuery(status: status, search: search, sort: sort, descending: descending, limit: 7)
                        let expected = oracle.matches(query)
                        let paged = try fixture.allPages(query)
                        let label = "\(sort) desc=\(descending) status=\(String(describing: status)) search=\(String(describing: search))"
                        XCTAssertEqual(paged.rows.map(\.reference), expected.map(\.reference), label)
                        XCTAssertEqual(paged.totals, [expected.count], label)
                        XCTAssertEqual(paged.pages, max(1, (expected.count + 6) / 7), label)
                    }
                }
            }
        }
    }

    /// More than 512 matches: the name sorts walk the order index instead of sorting the matches.
    func testDenseSearchesWalkTheIndexAndStillMatchTheOracle() throws {
        let fixture = try CustomerFixture()
        let forms = Self.forms(count: 1100, seed: 3)
        let ids = try fixture.create(forms, batch: 500)
        try fixture.verify(ids.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        let oracle = try ListOracle(store: fixture.store)
        for sort in [CustomerListSort.email, .firstName, .lastName] {
            for descending in [false, true] {
                for status in [nil, CustomerStatus.unverified] {
                    for search in ["e", "an", ".com", "+1"] {
                        let query = CustomerListQuery(status: status, search: search, sort: sort, descending: descending, limit: 50)
                        let expected = oracle.matches(query)
                        XCTAssertGreaterThan(expected.count, 100)
                        let paged = try fixture.allPages(query)
                        let label = "\(sort) desc=\(descending) status=\(String(describing: status)) search=\(search)"
                        XCTAssertEqual(paged.rows.map(\.creationSequence), expected.map(\.creationSequence), label)
                        XCTAssertEqual(paged.totals, [expected.count], label)
                    }
                }
            }
        }
    }

    func testPagingWhileAnotherWriterAddsCustomersNeitherRepeatsNorSkipsExistingRows() throws {
        let fixture = try Self.populated(count: 120, seed: 5)
        for sort in CustomerListSort.allCases {
            for descending in [false, true] {
                let before = try ListOracle(store: fixture.store)
                let query = CustomerListQuery(sort: sort, descending: descending, limit: 9)
                let existing = Set(before.rows.map(\.creationSequence))
                var seen: [UInt64] = []
                var page = try fixture.page(query)
                var round = 0
                while true {
                    seen += page.items.map(\.creationSequence)
                    // Another writer adds customers whose keys land everywhere in the order.
                    try fixture.create(Self.forms(count: 3, seed: UInt64(round) + 1000 * UInt64(sort.code)))
                    round += 1
                    guard let cursor = page.nextCursor else { break }
                    page = try fixture.page(CustomerListQuery(sort: sort, descending: descending, limit: 9, cursor: cursor))
                }
                let seenExisting = seen.filter(existing.contains)
                XCTAssertEqual(seen.count, Set(seen).count, "\(sort) desc=\(descending): a row appeared twice")
                XCTAssertEqual(Set(seenExisting), existing, "\(sort) desc=\(descending): a row that existed all along was skipped")
                let expectedOrder = before.matches(query).map(\.creationSequence)
                XCTAssertEqual(seenExisting, expectedOrder, "\(sort) desc=\(descending)")
            }
        }
    }

    func testBadCursorsAndLimitsAreClearErrors() throws {
        let fixture = try Self.populated(count: 30, seed: 2)
        let first = try fixture.page(CustomerListQuery(search: "a", sort: .email, limit: 3))
        let cursor = try XCTUnwrap(first.nextCursor)

        func error(_ query: CustomerListQuery) -> CustomerListError? {
            do {
                _ = try fixture.page(query)
                return nil
            } catch let error as CustomerListError {
                return error
            } catch {
                XCTFail("unexpected \(error)")
                return nil
            }
        }
        for garbage in ["", "x", "!!!", "AQ", String(cursor.dropLast(3)), cursor + "A", "AAAAAAAAAAAAAAAAAAAAAA"] {
            XCTAssertEqual(error(CustomerListQuery(search: "a", sort: .email, limit: 3, cursor: garbage))?.code, .malformedCursor, garbage)
        }
        let sortMismatch = error(CustomerListQuery(search: "a", sort: .lastName, limit: 3, cursor: cursor))
        XCTAssertEqual(sortMismatch?.code, .cursorMismatch)
        XCTAssertEqual(sortMismatch?.reason, .otherListing([.sort(madeFor: .email, asked: .lastName)]))
        XCTAssertFalse(sortMismatch?.message.contains("--") ?? true, "the read side names no CLI option: \(sortMismatch?.message ?? "")")
        XCTAssertEqual(error(CustomerListQuery(status: .verified, search: "a", sort: .email, limit: 3, cursor: cursor))?.code, .cursorMismatch)
        XCTAssertEqual(error(CustomerListQuery(search: "a", sort: .email, descending: true, limit: 3, cursor: cursor))?.code, .cursorMismatch)
        XCTAssertEqual(error(CustomerListQuery(search: "b", sort: .email, limit: 3, cursor: cursor))?.code, .cursorMismatch)
        XCTAssertEqual(error(CustomerListQuery(sort: .email, limit: 3, cursor: cursor))?.code, .cursorMismatch)
        XCTAssertEqual(error(CustomerListQuery(limit: 0))?.code, .invalidLimit)
        XCTAssertEqual(error(CustomerListQuery(limit: 10_001))?.code, .invalidLimit)
        // The same cursor with the same options works, and a different limit is allowed.
        XCTAssertNil(error(CustomerListQuery(search: "A", sort: .email, limit: 5, cursor: cursor)))
    }

    func testVerificationMovesTheRowBetweenStatusesAndCounters() throws {
        let fixture = try CustomerFixture()
        let ids = try fixture.create([
            CustomerFixture.form("Zoë", "Ørsted", "zoe@example.com"),
            CustomerFixture.form("Ann", "Berg", "ann@example.com"),
        ])
        XCTAssertEqual(try fixture.page(CustomerListQuery(status: .unverified)).total, 2)
        XCTAssertEqual(try fixture.page(CustomerListQuery(status: .verified)).total, 0)
        fixture.clock.advance(60)
        try fixture.verify(ids[0])
        let verified = try fixture.page(CustomerListQuery(status: .verified, sort: .lastName))
        XCTAssertEqual(verified.items.map(\.profile.email), ["zoe@example.com"])
        XCTAssertEqual(verified.items.first?.verifiedAt, fixture.clock.now)
        XCTAssertEqual(verified.total, 1)
        XCTAssertEqual(try fixture.page(CustomerListQuery(status: .unverified, sort: .lastName)).items.map(\.profile.email), ["ann@example.com"])
        XCTAssertEqual(try fixture.page(CustomerListQuery(status: .verified, search: "ørs")).total, 1)
        XCTAssertEqual(try fixture.page(CustomerListQuery(status: .unverified, search: "ørs")).total, 0)
        XCTAssertEqual(try fixture.page(CustomerListQuery()).total, 2)
        let row = try fixture.store.read { try CustomerListView.row(ids[0], in: $0) }
        XCTAssertEqual(row?.status, .verified)
        XCTAssertEqual(row?.profile.firstName, "Zoë")
        XCTAssertEqual(row?.reference.description, "DE--1")
        XCTAssertNil(try fixture.store.read { try CustomerListView.row(CustomerID(UUID()), in: $0) })
    }

    func testRowsCarryEveryField() throws {
        let fixture = try CustomerFixture()
        let form = CustomerForm(
            email: "Full.Name@Example.com", salutation: "Dr", firstName: "Éloïse", lastName: "van der Berg", gender: "female",
            dateOfBirth: "1990-02-28", phone: "+49 (30) 123-45", company: "ACME GmbH", locale: "de_DE")
        let id = try fixture.create(form)
        let row = try XCTUnwrap(fixture.store.read { try CustomerListView.row(id, in: $0) })
        XCTAssertEqual(row.customerId, id)
        XCTAssertEqual(row.profile.salutation, .dr)
        XCTAssertEqual(row.profile.gender, .female)
        XCTAssertEqual(row.profile.dateOfBirth, CalendarDate(year: 1990, month: 2, day: 28))
        XCTAssertEqual(row.profile.phone, "+49 (30) 123-45")
        XCTAssertEqual(row.profile.company, "ACME GmbH")
        XCTAssertEqual(row.profile.locale, "de_DE")
        XCTAssertEqual(row.status, .unverified)
        XCTAssertEqual(row.createdAt, UTCTime.roundedToMicroseconds(fixture.clock.now))
        XCTAssertNil(row.verifiedAt)
        XCTAssertEqual(try ListOracle(store: fixture.store).rows, [row])
    }
}

/// SplitMix64: reproducible data sets without Foundation's unseeded generators.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(_ bound: Int) -> Int { Int(nextUInt64() % UInt64(bound)) }
}
