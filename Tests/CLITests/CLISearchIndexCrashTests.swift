import Foundation
import TestSupport
import XCTest

/// The search index's pending postings across kill -9: small imports and single creates put their customers'
/// postings in the pending table, a merge moves them into the blocks a few trigrams per commit; a process killed
/// at any moment of that leaves a store whose search is exact and whose rebuild finds nothing to fix.
final class CLISearchIndexCrashTests: XCTestCase {
    private func csv(rows: Range<Int>) -> String {
        var text = "customer_reference,email,salutation,first_name,last_name,registered\n"
        for index in rows {
            text += "DE--\(index + 1000),crash\(index)@example.com,Mr,Pending\(index % 7),Crashtest,\(index % 3 == 0 ? "2020-01-01" : "")\n"
        }
        return text
    }

    private func total(_ store: CLIStore, search: String) throws -> Int? {
        try jsonObject(try store.run(["list", "--json", "--limit", "1", "--search", search]).stdout)["total"] as? Int
    }

    /// Whether the pending table holds the record of a merge in progress (its key, 0xFF, sorts after every
    /// customer's sequence).
    private func mergeInProgress(_ store: CLIStore) throws -> Bool {
        let dump = try runProcess(URL(fileURLWithPath: "/usr/bin/mdb_dump"), ["-s", "customer-list.grams-pending", store.path])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        return dump.stdout.split(separator: "\n").contains { $0 == " ff" }
    }

    func testKillMinus9DuringPendingMergesLeavesSearchExactAndRebuildVerifyClean() throws {
        let store = CLIStore()
        // Imports of 30 rows, one small transaction each, until more customers are pending than the threshold
        // at which a merge starts (2048), so that the killed processes below run merge steps.
        let prefill = 2_070
        for file in 0..<prefill / 30 {
            let url = store.folder.path("part\(file).csv")
            try csv(rows: file * 30..<(file + 1) * 30).write(to: url, atomically: true, encoding: .utf8)
            let result = try store.run(["import", url.path], timeout: 60)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        XCTAssertEqual(try total(store, search: "crashtest"), prefill)
        XCTAssertTrue(try mergeInProgress(store), "a merge of the pending postings has started")
        var generator = SystemRandomNumberGenerator()
        var next = prefill
        for round in 0..<6 {
            let process: RunningProcess
            if round % 2 == 0 {
                let url = store.folder.path("round\(round).csv")
                try csv(rows: next..<next + 30).write(to: url, atomically: true, encoding: .utf8)
                next += 30
                process = try RunningProcess(customerES, ["--store", store.path, "import", url.path])
            } else {
                process = try RunningProcess(customerES, ["--store", store.path] + CLIStore.createArguments(
                    email: "single\(round)@example.com", ["last-name": "Crashtest", "first-name": "Single"]))
            }
            usleep(UInt32.random(in: 5_000...120_000, using: &generator))
            process.kill9()
            _ = process.waitForExit(timeout: 10)
            let verify = try store.run(["rebuild", "--verify"], timeout: 60)
            XCTAssertEqual(verify.status, 0, "round \(round): \(verify.stdout) \(verify.stderr)")
            let created = try store.events().filter { $0["type"] as? String == "CustomerCreated" }.count
            XCTAssertEqual(try total(store, search: "crashtest"), created, "round \(round): every customer found once")
            XCTAssertEqual(try total(store, search: "c"), created, "round \(round): a one-letter search too")
            // One more single create completes whatever merge step the killed process had not committed.
            try store.create("after\(round)@example.com", ["last-name": "Crashtest"])
        }
        let created = try store.events().filter { $0["type"] as? String == "CustomerCreated" }.count
        XCTAssertEqual(try total(store, search: "crashtest"), created)
        XCTAssertEqual(try total(store, search: "ashte"), created)
        XCTAssertEqual(try store.run(["rebuild"], timeout: 60).status, 0)
        XCTAssertEqual(try total(store, search: "crashtest"), created, "the same after a rebuild")
        XCTAssertEqual(try store.run(["rebuild", "--verify"], timeout: 60).status, 0)
    }
}
