import Foundation
import TestSupport
import XCTest

/// `edit CUSTOMER`: through the binary, against a real store.
final class CLIEditTests: XCTestCase {
    func testAnEditChangesTheCustomerHistoryShowsItAndTheListFollows() throws {
        let store = CLIStore()
        let reference = try store.create("john@example.com", ["first-name": "John", "last-name": "Smith", "company": "Acme"])
        Thread.sleep(forTimeInterval: 0.01)
        let beforeEdit = ISO.format(Date())
        Thread.sleep(forTimeInterval: 0.01)
        let edit = try store.run(["edit", reference, "--last-name", "Smyth", "--company", "", "--phone", "+49 30 123"])
        XCTAssertEqual(edit.status, 0, edit.stderr)
        XCTAssertTrue(edit.stdout.contains("Customer was updated."), edit.stdout)

        let shown = try store.show(reference)
        XCTAssertEqual(shown["lastName"] as? String, "Smyth")
        XCTAssertEqual(shown["phone"] as? String, "+49 30 123")
        XCTAssertTrue(shown["company"] is NSNull, "\(shown)")
        XCTAssertEqual(try store.show(reference, asOf: beforeEdit)["lastName"] as? String, "Smith")

        let history = try store.run(["history", reference])
        XCTAssertTrue(history.stdout.contains("lastName: Smith → Smyth"), history.stdout)
        XCTAssertTrue(history.stdout.contains("company: Acme → —"), history.stdout)
        let events = try store.events()
        XCTAssertEqual(events.last?["type"] as? String, "CustomerEdited")
        XCTAssertEqual((events.last?["data"] as? [String: Any])?.keys.sorted(), ["company", "lastName", "phone"])

        XCTAssertFalse(try store.run(["list", "--search", "smith"]).stdout.contains(reference))
        XCTAssertTrue(try store.run(["list", "--search", "smyth"]).stdout.contains(reference))
        XCTAssertFalse(try store.run(["list", "--search", "acme"]).stdout.contains(reference))
        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testAnEditThatChangesNothingWritesNothing() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        let count = try store.eventCount()
        let output = try store.run(["edit", reference, "--first-name", " Max ", "--salutation", "mr", "--phone", ""])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("Nothing changed."), output.stdout)
        XCTAssertEqual(try store.eventCount(), count)
    }

    func testBadInputReportsEveryProblemAndWritesNothing() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        let count = try store.eventCount()
        let output = try store.run(["edit", reference, "--first-name", "", "--gender", "other", "--date-of-birth", "2999-01-01", "--locale", ""])
        XCTAssertEqual(output.status, 1, output.stdout)
        for message in ["First name is required", "Gender must be one of: Male, Female", "Date of birth must not be in the future", "Locale is required"] {
            XCTAssertTrue(output.stderr.contains(message), output.stderr)
        }
        XCTAssertEqual(try store.eventCount(), count)
        XCTAssertEqual(try store.show(reference)["firstName"] as? String, "Max")
        let unknown = try store.run(["edit", "DE--99", "--last-name", "X"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertEqual(try store.eventCount(), count)
    }

    /// Each process decides on the state it finds inside its write transaction: every edit lands once.
    func testConcurrentEditsOfOneCustomerFromSeveralProcessesAreNeitherLostNorDoubled() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        let count = try store.eventCount()
        let fields = ["first-name", "last-name", "phone", "company", "gender", "date-of-birth"]
        let values = ["Maxi", "Musterfrau", "+49 30 1", "Acme", "Male", "1990-01-02"]
        let outputs = runConcurrently(zip(fields, values).map { ["--store", store.path, "edit", reference, "--\($0)", $1] })
        for output in outputs { XCTAssertEqual(output?.status, 0, output?.stderr ?? "did not finish") }
        XCTAssertEqual(try store.eventCount(), count + fields.count)
        let shown = try store.show(reference)
        XCTAssertEqual(shown["firstName"] as? String, "Maxi")
        XCTAssertEqual(shown["lastName"] as? String, "Musterfrau")
        XCTAssertEqual(shown["phone"] as? String, "+49 30 1")
        XCTAssertEqual(shown["company"] as? String, "Acme")
        XCTAssertEqual(shown["gender"] as? String, "Male")
        XCTAssertEqual(shown["dateOfBirth"] as? String, "1990-01-02")
        // The same edit once more from several processes: the first writes, the others find nothing to change.
        let again = runConcurrently((0..<3).map { _ in ["--store", store.path, "edit", reference, "--last-name", "Smyth"] })
        for output in again { XCTAssertEqual(output?.status, 0, output?.stderr ?? "did not finish") }
        XCTAssertEqual(again.compactMap { $0 }.filter { $0.stdout.contains("Customer was updated.") }.count, 1)
        XCTAssertEqual(try store.eventCount(), count + fields.count + 1)
    }

    /// kill -9 at any moment of an edit: the edit is all there or not at all, and the list, its search index and
    /// the directory stay in step with the log.
    func testKillMinus9DuringEditsLeavesTheProjectionsConsistent() throws {
        let store = CLIStore()
        let references = try (0..<3).map { try store.create("edited\($0)@example.com") }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<10 {
            let reference = references[round % references.count]
            let process = try RunningProcess(customerES, [
                "--store", store.path, "edit", reference, "--last-name", "Killed\(round)", "--company", "Round \(round)",
            ])
            usleep(UInt32.random(in: 0...80_000, using: &generator))
            process.kill9()
            let verify = try store.run(["rebuild", "--verify"], timeout: 60)
            XCTAssertEqual(verify.status, 0, "round \(round): projections out of step after kill -9: \(verify.stdout) \(verify.stderr)")
            // Never half an edit: both fields changed together or neither.
            let shown = try store.show(reference)
            let lastName = try XCTUnwrap(shown["lastName"] as? String)
            if lastName.hasPrefix("Killed") {
                XCTAssertEqual(shown["company"] as? String, "Round " + lastName.dropFirst("Killed".count), "round \(round)")
            } else {
                XCTAssertNil(shown["company"] as? String, "round \(round)")
            }
        }
        // The list finds every customer by the last name its log says it has.
        for reference in references {
            let lastName = try XCTUnwrap(try store.show(reference)["lastName"] as? String)
            let listed = try store.run(["list", "--search", lastName, "--format", "json"])
            XCTAssertEqual(listed.status, 0, listed.stderr)
            XCTAssertTrue(listed.stdout.contains(reference), "\(reference) found by \(lastName): \(listed.stdout)")
        }
    }
}
