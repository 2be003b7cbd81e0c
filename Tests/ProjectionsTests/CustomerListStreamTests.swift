import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// `list --all`: every matching row, in order, a batch per short read transaction.
final class CustomerListStreamTests: XCTestCase {
    func testEveryMatchingRowInOrderWhateverTheBatchSize() throws {
        let fixture = try CustomerListTests.populated(count: 90, seed: 11)
        let oracle = try ListOracle(store: fixture.store)
        for sort in CustomerListSort.allCases {
            for (status, search) in [(nil, nil), (CustomerStatus.verified, nil), (nil, "a"), (CustomerStatus.unverified, "er")] as [(CustomerStatus?, String?)] {
                let query = CustomerListQuery(status: status, search: search, sort: sort, descending: sort == .email, limit: 3)
                var batches: [[CustomerRow]] = []
                let count = try CustomerListView.forEachBatch(matching: query, in: fixture.store, batchSize: 7) { batches.append($0) }
                let expected = oracle.matches(query).map(\.creationSequence)
                let label = "\(sort) \(String(describing: status)) \(String(describing: search))"
                XCTAssertEqual(batches.flatMap { $0 }.map(\.creationSequence), expected, label)
                XCTAssertEqual(count, expected.count, label)
                XCTAssertTrue(batches.allSatisfy { $0.count <= 7 }, label)
                XCTAssertGreaterThan(expected.count, 3, "the query's limit is ignored: \(label)")
            }
        }
    }

    /// Between two batches no transaction is open, so another writer can add customers; the rows that existed
    /// all along still come once each, in order.
    func testWritesBetweenBatchesNeitherRepeatNorSkipRows() throws {
        let fixture = try CustomerListTests.populated(count: 60, seed: 3)
        let before = try ListOracle(store: fixture.store)
        let query = CustomerListQuery(sort: .lastName)
        var seen: [UInt64] = []
        var round: UInt64 = 0
        try CustomerListView.forEachBatch(matching: query, in: fixture.store, batchSize: 8) { batch in
            seen += batch.map(\.creationSequence)
            round += 1
            try fixture.create(CustomerListTests.forms(count: 3, seed: 500 + round))
        }
        let existing = Set(before.rows.map(\.creationSequence))
        XCTAssertEqual(seen.count, Set(seen).count, "a row appeared twice")
        XCTAssertEqual(seen.filter(existing.contains), before.matches(query).map(\.creationSequence))
    }
}
