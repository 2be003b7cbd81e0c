import Foundation
import TestSupport
import XCTest

/// `import`, `backup`, `events` (and `--follow`), and that a rejected first command creates no store.
final class CLIImportBackupAndEventsTests: XCTestCase {
    /// The platform's demo data (the header and rows of `customer.csv`).
    static let demoCSV = """
    customer_reference,locale_name,phone,email,salutation,first_name,last_name,company,gender,date_of_birth,password,registered
    DE--1,en_US,,spencor.hopkin@spryker.com,Mr,Spencor,Hopkin,,Male,,$2y$10$BfK63PmaH/mYpHNfVjCIIuDwnMM.q2ZyjzUAjZTXPmAEiXPoqsXdy,2020-06-24
    DE--2,en_US,,maria.williams@spryker.com,Ms,Maria,Williams,,Female,,$2y$10$BfK63PmaH/mYpHNfVjCIIuDwnMM.q2ZyjzUAjZTXPmAEiXPoqsXdy,2020-06-24
    DE--3,de_DE,,maggie.may@spryker.com,Ms,Maggie,May,,Female,,$2y$10$BfK63PmaH/mYpHNfVjCIIuDwnMM.q2ZyjzUAjZTXPmAEiXPoqsXdy,
    DE--8,de_DE,495-123-45-67,andrew@ottom.de,Mr,Andrew,Wedner,,Male,,$2y$10$BfK63PmaH/mYpHNfVjCIIuDwnMM.q2ZyjzUAjZTXPmAEiXPoqsXdy,2020-06-24

    """

    func testImportKeepsReferencesIsIdempotentAndReportsBadRowsByLine() throws {
        let store = CLIStore()
        let file = store.folder.path("customer.csv")
        try Self.demoCSV.write(to: file, atomically: true, encoding: .utf8)
        let first = try store.run(["import", file.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Imported 4 customer(s)"), first.stdout)
        XCTAssertEqual(try store.show("DE--8")["status"] as? String, "Verified")
        XCTAssertEqual(try store.show("maggie.may@spryker.com")["status"] as? String, "Unverified")
        XCTAssertEqual((try store.show("DE--3")["pendingEmails"] as? [Any])?.count, 0, "an import queues no email")
        let events = try store.eventCount()

        let again = try store.run(["import", file.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("4 already present"), again.stdout)
        XCTAssertEqual(try store.eventCount(), events, "re-importing changes nothing")
        XCTAssertEqual(try store.create("next@example.com"), "DE--9", "the counter continues after the largest import")

        let bad = store.folder.path("bad.csv")
        try "customer_reference,email,salutation,first_name,last_name\nDE--20,broken,Mr,A,B\nDE--21,fine@example.com,Ms,C,D\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let partial = try store.run(["import", bad.path])
        XCTAssertEqual(partial.status, 1)
        XCTAssertTrue(partial.stderr.contains("line 2: email: Email is not a valid address"), partial.stderr)
        XCTAssertEqual(try store.show("DE--21")["email"] as? String, "fine@example.com", "valid rows land")

        let missing = try store.run(["import", store.folder.path("nope.csv").path])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stderr.contains("cannot read"), missing.stderr)
    }

    func testRejectedFirstCreateDoesNotCreateTheStore() throws {
        let store = CLIStore()
        let output = try store.run(CLIStore.createArguments(email: "not an email"))
        XCTAssertEqual(output.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.path), "a rejected command must not create the store")
    }

    func testBackupIsAUsableCopyAndRefusesANonEmptyFolder() throws {
        let store = CLIStore()
        try store.create("a@example.com", flags: ["send-password-token"])
        let link = try XCTUnwrap(store.pendingLinks("DE--1").first { $0.kind == "verification" }?.link)
        let target = store.folder.path("backup")
        let output = try store.run(["backup", target.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        let copy = try runProcess(customerES, ["--store", target.path, "verify-email", "--token", try XCTUnwrap(tokenOf(link))])
        XCTAssertEqual(copy.status, 0, "links mailed before the backup work against the restored store: \(copy.stderr)")
        XCTAssertEqual(try store.run(["backup", target.path]).status, 3)
    }

    func testEventsFollowSeesEventsAppendedByAnotherProcessAndStopsOnSIGINT() throws {
        let store = CLIStore()
        try store.create("first@example.com")
        let follower = try RunningProcess(customerES, ["--store", store.path, "events", "--follow"])
        func waitFor(_ text: String) -> Bool {
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                if follower.lines.contains(where: { $0.contains(text) }) { return true }
                usleep(20_000)
            }
            return false
        }
        XCTAssertTrue(waitFor("first@example.com"), "the existing log is printed first")
        try store.create("second@example.com")
        XCTAssertTrue(waitFor("second@example.com"), "an event appended by another process shows up")
        kill(follower.process.processIdentifier, SIGINT)
        XCTAssertEqual(follower.waitForExit(timeout: 10), 0, "Ctrl-C ends --follow cleanly")
    }
}
