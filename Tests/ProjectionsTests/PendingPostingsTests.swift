import CompactCodec
import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// The search index's pending postings (`PendingPostings`): single creates go there, a merge moves them into
/// the blocks a few trigrams per commit, and search, edits, removals and rebuilds see one index throughout.
final class PendingPostingsTests: XCTestCase {
    static let queries = ["a", "n", "an", "sm", "ann", "smi", "@ex", "de--", "de--2", "smith", "muller", "example", "nakamur", "zz", "+1", "o"]

    private func trigramTables(_ fixture: CustomerFixture, _ body: (TrigramTables, StoreReader) throws -> Void) throws {
        try fixture.store.read { reader in
            let suffix = try ActiveTableSet.suffix(of: CustomerListView.defaultName, in: reader)
            let names = CustomerListTableNames(base: CustomerListView.defaultName, suffix: suffix)
            try body(CustomerListTables(names, in: reader).grams, reader)
        }
    }

    private func pendingState(_ fixture: CustomerFixture) throws -> (state: PendingPostings.State?, records: Int, blocks: Int) {
        var result: (PendingPostings.State?, Int, Int) = (nil, 0, 0)
        try trigramTables(fixture) { tables, reader in
            var records = 0
            try PendingPostings.forEachRecord(tables, in: reader) { _, _ in records += 1 }
            result = (try PendingPostings.state(tables, in: reader), records, try reader.count(tables.postings))
        }
        return result
    }

    private func assertSearchesMatchTheOracle(_ fixture: CustomerFixture, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let oracle = try ListOracle(store: fixture.store)
        for search in Self.queries {
            for status in [nil, CustomerStatus.verified] {
                let query = CustomerListQuery(status: status, search: search, limit: 1000)
                let expected = oracle.matches(query)
                let page = try fixture.page(query)
                XCTAssertEqual(page.total, expected.count, "\(label): total of \(search)", file: file, line: line)
                XCTAssertEqual(page.items, Array(expected.prefix(query.limit)), "\(label): rows of \(search)", file: file, line: line)
            }
        }
    }

    func testSearchIsExactAcrossPendingMergingAndMergedPostings() throws {
        let fixture = try CustomerFixture.withSmallSearchMerges()
        let forms = CustomerListTests.forms(count: 720, seed: 8)
        var sawMergeInProgress = false
        var sawPendingBeside = false
        var ids: [CustomerID] = []
        for (index, form) in forms.enumerated() {
            ids.append(try fixture.create(form))
            if index % 37 == 0 { try fixture.verify(ids[index / 2]) }
            if index % 90 == 89 {
                let (state, records, blocks) = try pendingState(fixture)
                if let state, state.nextGram > 0, state.nextGram < PendingPostings.gramLimit { sawMergeInProgress = true }
                if records > 0 && blocks > 0 { sawPendingBeside = true }
                try assertSearchesMatchTheOracle(fixture, "after \(index + 1) single creates")
            }
        }
        XCTAssertTrue(sawMergeInProgress, "a merge was caught half-way")
        XCTAssertTrue(sawPendingBeside, "pending records and blocks were searched together")
        let (_, records, _) = try pendingState(fixture)
        XCTAssertLessThan(records, 2 * CustomerFixture.smallSearchMergeThreshold, "merges keep up with single creates")

        // A large batch merges everything pending first, then writes blocks directly.
        try fixture.create(CustomerListTests.forms(count: 100, seed: 9), batch: 100)
        let after = try pendingState(fixture)
        XCTAssertEqual(after.records, 0)
        XCTAssertNil(after.state)
        try assertSearchesMatchTheOracle(fixture, "after a batch of 100")
    }

    /// A server's group commit adds up to 64 customers per commit, each commit one merge step: the steps must
    /// keep up with that too, or the records pile up (each commit and each search reading them all).
    func testMergesKeepUpWithCommitsOfSixtyFourCreates() throws {
        let fixture = try CustomerFixture.withSmallSearchMerges()
        let forms = CustomerListTests.forms(count: 64 * 40, seed: 12)
        var most = 0
        var sawMerge = false
        for batch in 0..<40 {
            _ = try fixture.create(Array(forms[batch * 64..<(batch + 1) * 64]), batch: 64)
            let (state, records, _) = try pendingState(fixture)
            most = max(most, records)
            if state != nil { sawMerge = true }
        }
        XCTAssertTrue(sawMerge, "commits of 64 go through the pending records and their merge")
        XCTAssertLessThanOrEqual(most, 3 * CustomerFixture.smallSearchMergeThreshold, "records pending at most")
        try assertSearchesMatchTheOracle(fixture, "after 40 commits of 64")
    }

    /// A merge step takes the `budget` smallest trigrams left (from `nextGram` on) over the pending records, or
    /// finishes when no more than that remain: checked against every trigram of the records, sorted.
    func testAStepTakesTheBudgetSmallestTrigramsLeft() throws {
        let fixture = try CustomerFixture.withSmallSearchMerges()
        for form in CustomerListTests.forms(count: 200, seed: 3) { _ = try fixture.create(form) }
        try trigramTables(fixture) { tables, reader in
            var grams: Set<UInt32> = []
            try PendingPostings.forEachRecord(tables, in: reader) { _, raw in
                for index in 0..<raw.count / PendingPostings.entrySize { grams.insert(PendingPostings.gram(raw, index)) }
            }
            let sorted = grams.sorted()
            XCTAssertGreaterThan(sorted.count, 100, "records of many trigrams are pending")
            for from in [0, sorted[10], sorted[sorted.count / 2] + 1, sorted[sorted.count - 3]] {
                let left = sorted.filter { $0 >= from }
                for budget in [1, 4, 37, left.count, left.count - 1] where budget > 0 {
                    let expected = left.count > budget ? left[budget - 1] + 1 : PendingPostings.gramLimit
                    XCTAssertEqual(try PendingPostings.stepEnd(from: from, budget: budget, through: .max, tables, in: reader), expected,
                                   "from \(from), budget \(budget) of \(left.count) left")
                }
            }
        }
    }

    func testEditsAndRemovalsOfPendingAndHalfMergedCustomersAreFollowed() throws {
        let fixture = try CustomerFixture.withSmallSearchMerges()
        var ids: [CustomerID] = []
        for form in CustomerListTests.forms(count: 300, seed: 4) { ids.append(try fixture.create(form)) }
        // Creates until a merge is half-way: the first customers are then partly in the blocks.
        var extra = 0
        while true {
            let (state, _, _) = try pendingState(fixture)
            if let state, state.nextGram > 0 { break }
            ids.append(try fixture.create(CustomerFixture.form("Extra", "Person\(extra)", "extra\(extra)@example.org")))
            extra += 1
            XCTAssertLessThan(extra, 200, "no merge started")
        }
        guard let state = try pendingState(fixture).state else { return XCTFail("no merge in progress") }
        XCTAssertLessThan(state.nextGram, PendingPostings.gramLimit)
        // ids[0…] are up to the boundary (half merged); the last ones after it (pending only).
        let halfMerged = ids[3]
        let pendingOnly = ids[ids.count - 1]
        try fixture.edit([
            (halfMerged, EditCustomer(firstName: "Quintessa", lastName: "Zwackelmann")),
            (pendingOnly, EditCustomer(lastName: "Yggdrasilsson", company: "Quokka GmbH")),
            (ids[7], EditCustomer(phone: "+49 555 1234")),
        ])
        try assertSearchesMatchTheOracle(fixture, "after edits")
        for search in ["zwackel", "quintes", "yggdras", "quokka", "555 12"] {
            XCTAssertEqual(try fixture.page(CustomerListQuery(search: search)).total, 1, search)
        }
        // A further edit once the merge has moved on, and another create or two between.
        ids.append(try fixture.create(CustomerFixture.form("Late", "Comer", "late@example.org")))
        try fixture.edit(halfMerged, EditCustomer(lastName: "Smith"))
        XCTAssertEqual(try fixture.page(CustomerListQuery(search: "zwackel")).total, 0)
        try assertSearchesMatchTheOracle(fixture, "after a second edit")

        // Removal (what erasure does) of a half-merged and of a pending customer.
        let victims = [ids[5], ids[ids.count - 2]]
        var rows: [CustomerRow] = []
        try fixture.store.read { reader in
            let tables = try CustomerListView().resolveTables(in: reader)
            for victim in victims {
                let sequence = try XCTUnwrap(CustomerListView.creationSequence(of: StreamName(victim.streamName), in: reader))
                rows.append(try XCTUnwrap(CustomerListView.row(at: sequence, tables: tables, in: reader)))
            }
        }
        func found(_ row: CustomerRow) throws -> Bool {
            try fixture.page(CustomerListQuery(search: row.profile.email, limit: 1000)).items.contains { $0.reference == row.reference }
        }
        for row in rows { XCTAssertTrue(try found(row)) }
        try fixture.store.write { writer in
            let tables = try CustomerListView().resolveTables(in: writer)
            for row in rows {
                try TrigramIndex.remove(sequence: row.creationSequence, fields: FoldedRow(row).searchFields, table: tables.grams, in: writer)
            }
        }
        for row in rows { XCTAssertFalse(try found(row), "\(row.reference) is no longer found") }
        // Merging what is left does not bring them back.
        try fixture.create(CustomerListTests.forms(count: 70, seed: 5), batch: 70)
        XCTAssertEqual(try pendingState(fixture).records, 0)
        for row in rows { XCTAssertFalse(try found(row), "\(row.reference) stays removed after the merge") }
    }

    func testARebuildHasTheSamePostingsWhereverTheMergesCutTheBlocks() throws {
        let fixture = try CustomerFixture.withSmallSearchMerges()
        var ids: [CustomerID] = []
        var random = SeededRandom(seed: 77)
        for round in 0..<420 {
            ids.append(try fixture.create(CustomerListTests.forms(count: 1, seed: UInt64(round))[0]))
            if round % 11 == 0 {
                try fixture.edit(ids[random.next(ids.count)], EditCustomer(lastName: ["Smith", "Smyth", "Ørsted"][random.next(3)] + "\(round)"))
            }
        }
        XCTAssertGreaterThan(try pendingState(fixture).records, 0)
        let live = try RebuildTests.liveList(fixture.store)
        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        XCTAssertTrue(try rebuilder.verify().isConsistent)
        rebuilder.bulkLoad = false
        rebuilder.chunkSize = 29
        try rebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(fixture.store), live)
        rebuilder.bulkLoad = true
        try rebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(fixture.store), live)
        try assertSearchesMatchTheOracle(fixture, "after the rebuilds")

        // A damaged pending record is a difference in the postings, named by trigram and sequence.
        for form in CustomerListTests.forms(count: 3, seed: 1234) { try fixture.create(form) }
        try fixture.store.write { writer in
            let tables = try CustomerListView().resolveTables(in: writer)
            var damaged: (UInt64, [UInt8])?
            try PendingPostings.forEachRecord(tables.grams, in: writer) { sequence, record in damaged = (sequence, Array(record)) }
            guard let (sequence, pending) = damaged else { return XCTFail("no pending record") }
            var record = pending
            record[4] ^= 0x08  // the first entry's place moves by one offset
            try writer.put(tables.grams.pending, BigEndianUInt64(sequence), record)
        }
        let report = try rebuilder.verify()
        XCTAssertFalse(report.isConsistent)
        XCTAssertTrue(report.differences.allSatisfy { $0.table == "customer-list.grams" || $0.table == "customer-list.b.grams" }, "\(report.differences)")
        XCTAssertEqual(report.differences.first?.key.count, 11)
    }
}
