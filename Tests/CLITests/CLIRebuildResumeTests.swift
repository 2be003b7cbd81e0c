import Foundation
import TestSupport
import XCTest

/// `rebuild` on a store of a few thousand customers, through the binary: a `create` issued while it runs is
/// answered (the rebuild holds the writer lock only for short transactions) and is in the rebuilt projections;
/// a rebuild killed with kill -9 once it has committed some of its work is resumed by the next `rebuild`, and
/// `rebuild --verify` is clean. (How long the create waited is a figure of `customer-es-bench cli`, not asserted.)
final class CLIRebuildResumeTests: XCTestCase {
    static let customers = 6000

    private func importedStore() throws -> CLIStore {
        let store = CLIStore()
        var csv = "customer_reference,locale_name,phone,email,salutation,first_name,last_name,company,gender,date_of_birth,password,registered\n"
        for index in 1...Self.customers {
            csv += "DE--\(index),en_US,,resume\(index)@example.com,Ms,Rina\(index % 97),Sumer\(index % 89),,,,,\(index % 2 == 0 ? "2020-06-24" : "")\n"
        }
        let file = store.folder.path("customer.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let imported = try store.run(["import", file.path], timeout: 120)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        return store
    }

    /// `rebuild` with a progress line per report on stdout (stderr joined to it), so that the test sees when
    /// some of its work is committed.
    private func startRebuild(_ store: CLIStore) throws -> RunningProcess {
        try RunningProcess(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \"$0\" \"$@\" 2>&1", customerES.path, "--store", store.path, "rebuild"],
            environment: ["CUSTOMER_ES_REPORT_PROGRESS": "1"])
    }

    private func waitForResumableWork(_ child: RunningProcess, timeout: TimeInterval = 120) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if child.lines.contains(where: { $0.hasSuffix(", resumable") }) { return true }
            if !child.process.isRunning { return false }
            usleep(2_000)
        }
        return false
    }

    private func total(_ store: CLIStore, search: String) throws -> Int? {
        try jsonObject(try store.run(["list", "--json", "--limit", "1", "--search", search]).stdout)["total"] as? Int
    }

    func testACreateDuringARebuildSucceedsAndIsInTheRebuiltProjections() throws {
        let store = try importedStore()
        let rebuild = try startRebuild(store)
        XCTAssertTrue(waitForResumableWork(rebuild), rebuild.lines.joined(separator: "\n"))
        let created = try store.run(Self.createDuring(), timeout: 60)
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertEqual(rebuild.waitForExit(timeout: 120), 0, rebuild.lines.joined(separator: "\n"))
        XCTAssertTrue(rebuild.lines.contains { $0.hasPrefix("Rebuilt ") }, rebuild.lines.joined(separator: "\n"))
        XCTAssertEqual(try total(store, search: "newcomer.during"), 1)
        XCTAssertEqual(try store.show("newcomer.during@example.com")["firstName"] as? String, "Newcomer")
        let verify = try store.run(["rebuild", "--verify"], timeout: 120)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        // The directory built by the rebuild knows the newcomer: the same address is refused.
        XCTAssertEqual(try store.run(Self.createDuring(), timeout: 60).status, 1)
    }

    func testARebuildKilledMidwayIsResumedAndVerifiesClean() throws {
        let store = try importedStore()
        let rebuild = try startRebuild(store)
        XCTAssertTrue(waitForResumableWork(rebuild), rebuild.lines.joined(separator: "\n"))
        rebuild.kill9()
        let resumed = try store.run(["--json", "rebuild"], timeout: 120)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let report = try jsonObject(resumed.stdout)
        XCTAssertEqual(report["resumed"] as? Bool, true, "killed after: \(rebuild.lines.last ?? "nothing")")
        let verify = try store.run(["--json", "rebuild", "--verify"], timeout: 120)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertEqual(try jsonObject(verify.stdout)["resumed"] as? Bool, false, "nothing left to resume")
        XCTAssertEqual(try total(store, search: "resume4321@"), 1)
    }

    static func createDuring() -> [String] {
        ["create", "--email", "newcomer.during@example.com", "--salutation", "Mr", "--first-name", "Newcomer", "--last-name", "During"]
    }
}
