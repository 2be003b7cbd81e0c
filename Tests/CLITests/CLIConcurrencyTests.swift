import Foundation
import TestSupport
import XCTest

/// Several `customer-es` processes on one store at once; writers serialize.
final class CLIConcurrencyTests: XCTestCase {
    func testTwoProcessesRacingForTheSameEmailExactlyOneWins() throws {
        for round in 1...5 {
            let store = CLIStore()
            let outputs = runConcurrently([
                ["--store", store.path] + CLIStore.createArguments(email: "race.\(round)@example.com", ["first-name": "Left"]),
                ["--store", store.path] + CLIStore.createArguments(email: "RACE.\(round)@Example.COM", ["first-name": "Right"]),
            ])
            let finished = outputs.compactMap { $0 }
            XCTAssertEqual(finished.count, 2, "round \(round): both processes finished")
            let winners = finished.filter { $0.status == 0 }
            let losers = finished.filter { $0.status != 0 }
            XCTAssertEqual(winners.count, 1, "round \(round): exactly one create succeeds: \(finished.map(\.status)) \(finished.map(\.stderr))")
            XCTAssertEqual(losers.count, 1, "round \(round)")
            if let winner = winners.first {
                XCTAssertEqual(CLIStore.reference(in: winner.stdout), "DE--1", "round \(round)")
            }
            if let loser = losers.first {
                XCTAssertEqual(loser.status, 1, "round \(round): the loser is rejected, not a store error: \(loser.stderr)")
                XCTAssertTrue(loser.stderr.contains("Email is already used"), "round \(round): \(loser.stderr)")
            }
            // The loser wrote nothing: the next customer is DE--2.
            XCTAssertEqual(try store.create("after.\(round)@example.com"), "DE--2", "round \(round)")
        }
    }

    func testConcurrentCreatesOfDifferentEmailsGetGaplessUniqueReferences() throws {
        let store = CLIStore()
        let count = 6
        let outputs = runConcurrently((1...count).map {
            ["--store", store.path] + CLIStore.createArguments(email: "parallel.\($0)@example.com")
        })
        XCTAssertEqual(outputs.compactMap { $0 }.count, count, "every process finished")
        for (index, output) in outputs.enumerated() {
            XCTAssertEqual(output?.status, 0, "create \(index + 1): \(output?.stderr ?? "did not run")")
        }
        let references = outputs.compactMap { $0.flatMap { CLIStore.reference(in: $0.stdout) } }
        XCTAssertEqual(references.sorted(), (1...count).map { "DE--\($0)" }.sorted(), "each of DE--1…DE--\(count) exactly once")
        // Each reference belongs to the customer whose process printed it.
        for (index, output) in outputs.enumerated() {
            guard let reference = output.flatMap({ CLIStore.reference(in: $0.stdout) }) else { continue }
            XCTAssertEqual(try store.show(reference)["email"] as? String, "parallel.\(index + 1)@example.com")
        }
    }
}
