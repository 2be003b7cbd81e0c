import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// A search's matches are kept for the snapshot they were computed in: the same search of the same committed
/// state is answered from the cache, and anything committed since (here a new match) is seen at once.
final class SearchMatchCacheTests: XCTestCase {
    func testTheSameSearchOfOneSnapshotIsCachedAndACommitIsSeen() throws {
        let fixture = try CustomerFixture()
        _ = try fixture.create((0..<3).map { CustomerFixture.form("Anna", "Smith\($0)", "anna\($0)@example.com") })
        _ = try fixture.create(CustomerFixture.form("Bert", "Jones", "bert@example.com"))
        let query = CustomerListQuery(search: "ANNA")
        XCTAssertEqual(try fixture.page(query).total, 3)

        // The page just read left its matches under this snapshot and the folded query: asking again for them
        // does not compute.
        let key = try fixture.store.read { reader in
            SearchMatchCache.Key(
                snapshot: try XCTUnwrap(reader.snapshotIdentity), tables: CustomerListView().primaryNames.rows.name,
                query: TextFolding.fold("anna"))
        }
        let cached = SearchMatchCache.shared.matches(key) {
            XCTFail("the matches of a snapshot just searched were computed again")
            return SequenceBitSet()
        }
        XCTAssertEqual(cached.count, 3)
        XCTAssertEqual(try fixture.page(query).total, 3)

        _ = try fixture.create(CustomerFixture.form("Hanna", "Anna", "h@example.com"))
        XCTAssertEqual(try fixture.page(query).total, 4, "a customer committed after the cached search")
        XCTAssertEqual(try fixture.page(CustomerListQuery(status: .verified, search: "anna")).total, 0)
    }

    func testTheCacheKeepsTheMostRecentlyUsedEntries() throws {
        let cache = SearchMatchCache(capacity: 2)
        let fixture = try CustomerFixture()
        let snapshot = try fixture.store.read { try XCTUnwrap($0.snapshotIdentity) }
        func key(_ query: String) -> SearchMatchCache.Key { .init(snapshot: snapshot, tables: "t", query: Array(query.utf8)) }
        var computed: [String] = []
        func ask(_ query: String) {
            _ = cache.matches(key(query)) {
                computed.append(query)
                return SequenceBitSet(capacity: 64)
            }
        }
        ask("aaaa"); ask("bbbb"); ask("aaaa"); ask("cccc")  // "bbbb" was the least recently used
        ask("aaaa"); ask("bbbb")
        XCTAssertEqual(computed, ["aaaa", "bbbb", "cccc", "bbbb"])
        XCTAssertEqual(cache.count, 2)
        _ = cache.matches(nil) { computed.append("in a write"); return SequenceBitSet() }
        XCTAssertEqual(computed.last, "in a write")
        XCTAssertEqual(cache.count, 2, "a read inside a write keeps nothing")

        // Turned off (benchmarks of the index's own work), every search computes and nothing is kept.
        cache.isEnabled = false
        XCTAssertEqual(cache.count, 0)
        ask("aaaa"); ask("aaaa")
        XCTAssertEqual(computed.suffix(2), ["aaaa", "aaaa"])
        XCTAssertEqual(cache.count, 0)
        cache.isEnabled = true
        ask("aaaa"); ask("aaaa")
        XCTAssertEqual(computed.suffix(3), ["aaaa", "aaaa", "aaaa"], "on again: the second is cached")
    }
}
