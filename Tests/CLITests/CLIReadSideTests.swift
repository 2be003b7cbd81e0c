import Foundation
import TestSupport
import XCTest

/// `list`, `history`, `audit`, `rebuild` through the binary, and kill -9 in the middle of a long write.
final class CLIReadSideTests: XCTestCase {
    func testListFormatsSortingFilteringPagingAndBadArguments() throws {
        let store = CLIStore()
        try store.create("b.zoe@example.com", ["first-name": "Zoë", "last-name": "Ørsted"])
        try store.create("A.max@example.com", ["first-name": "Max", "last-name": "Müller"], flags: ["send-password-token"])
        try store.create("c.ann@example.com", ["first-name": "Ann", "last-name": "Smith, Jr."])
        let token = try store.token("DE--2")
        XCTAssertEqual(try store.run(["verify-email", "--token", token]).status, 0)

        let page = try jsonObject(try store.run(["list", "--json", "--sort", "email", "--limit", "2"]).stdout)
        let items = try XCTUnwrap(page["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["email"] as? String }, ["A.max@example.com", "b.zoe@example.com"], "case-insensitive order")
        XCTAssertEqual(page["total"] as? Int, 3)
        let cursor = try XCTUnwrap(page["nextCursor"] as? String)
        let next = try jsonObject(try store.run(["list", "--json", "--sort", "email", "--limit", "2", "--cursor", cursor]).stdout)
        XCTAssertEqual((next["items"] as? [[String: Any]])?.map { $0["email"] as? String }, ["c.ann@example.com"])
        XCTAssertTrue(next["nextCursor"] is NSNull)

        let verified = try jsonObject(try store.run(["list", "--format", "json", "--status", "verified"]).stdout)
        XCTAssertEqual((verified["items"] as? [[String: Any]])?.map { $0["reference"] as? String }, ["DE--2"])
        let search = try jsonObject(try store.run(["list", "--json", "--search", "ØRS"]).stdout)
        XCTAssertEqual((search["items"] as? [[String: Any]])?.map { $0["reference"] as? String }, ["DE--1"])

        let csv = try store.run(["list", "--format", "csv", "--sort", "last-name", "--desc"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Reference,Created,Email,Last Name,First Name,Status")
        // Base letters first (issue 9.21 replaced code-point order): "smith" > "orsted" (Ørsted) > "muller" (Müller).
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",").first.map(String.init) }, ["DE--3", "DE--1", "DE--2"])
        XCTAssertTrue(lines[1].contains("\"Smith, Jr.\",Ann,Unverified"), lines[1])
        XCTAssertTrue(lines[3].contains("Müller,Max,Verified"), lines[3])

        let table = try store.run(["list"])
        XCTAssertTrue(table.stdout.contains("3 of 3 customer(s)."), table.stdout)

        for bad in [["--status", "active"], ["--sort", "age"], ["--limit", "0"], ["--format", "xml"], ["--cursor", "nope"]] {
            let output = try store.run(["list"] + bad)
            XCTAssertEqual(output.status, 2, "list \(bad): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains("Usage:"), output.stderr)
        }
        let wrongSort = try store.run(["list", "--sort", "created", "--limit", "2", "--cursor", cursor])
        XCTAssertEqual(wrongSort.status, 2, "a cursor of another sort is refused: \(wrongSort.stderr)")
        XCTAssertTrue(wrongSort.stderr.contains("--cursor belongs to another listing: it was made for --sort email, not --sort created"), wrongSort.stderr)
        let badLimit = try store.run(["list", "--limit", "0"])
        XCTAssertTrue(badLimit.stderr.contains("--limit must be"), badLimit.stderr)
    }

    func testHistoryAuditAndRebuildVerify() throws {
        let store = CLIStore()
        try store.create("h@example.com", global: ["--actor", "alice"])
        XCTAssertEqual(try store.run(["--actor", "bob", "verify-email", "--token", try store.token("DE--1")]).status, 0)

        let history = try JSONSerialization.jsonObject(with: Data(try store.run(["history", "DE--1", "--json"]).stdout.utf8)) as? [[String: Any]]
        let entries = try XCTUnwrap(history)
        // The token came from the delivered email, so its delivery is part of the history.
        XCTAssertEqual(entries.map { $0["type"] as? String }, ["CustomerCreated", "VerificationRequested", "EmailSent", "EmailVerified"])
        XCTAssertEqual(entries.map { $0["actor"] as? String }, ["alice", "alice", "test-dispatcher", "bob"])
        for entry in entries {
            for key in ["position", "stream", "version", "type", "recordedAt", "actor", "data"] {
                XCTAssertNotNil(entry[key], "history entry lacks \(key)")
            }
        }
        let text = try store.run(["history", "h@example.com"])
        XCTAssertTrue(text.stdout.contains("status: Unverified → Verified"), text.stdout)

        let audit = try JSONSerialization.jsonObject(with: Data(try store.run(["audit", "--json"]).stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(audit?.map { "\($0["from"] ?? "") → \($0["to"] ?? "")" }, ["<null> → Unverified", "Unverified → Verified"])
        XCTAssertEqual(audit?.last?["actor"] as? String, "bob")
        let future = try store.run(["audit", "--since", "2999-01-01"])
        XCTAssertTrue(future.stdout.contains("No status changes"), future.stdout)
        XCTAssertEqual(try store.run(["audit", "--since", "yesterday"]).status, 2)
        XCTAssertEqual(try store.run(["audit", "--customer", "nobody@example.com"]).status, 1)

        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stdout.contains("match a fresh rebuild"), verify.stdout)
        let rebuild = try store.run(["rebuild", "--json"])
        XCTAssertEqual(rebuild.status, 0, rebuild.stderr)
        XCTAssertEqual(try jsonObject(rebuild.stdout)["eventsReplayed"] as? Int, 4)
        XCTAssertEqual(try store.show("DE--1")["status"] as? String, "Verified", "still there after a rebuild")
    }

    func testKillMinus9DuringALongImportLeavesListLogAndOutboxConsistent() throws {
        let store = CLIStore()
        try store.create("seed@example.com")
        var csv = "customer_reference,email,salutation,first_name,last_name,registered\n"
        for index in 0..<6000 {
            csv += "DE--\(index + 100),bulk\(index)@example.com,Mr,Bulk\(index),Load,\(index % 2 == 0 ? "2020-01-01" : "")\n"
        }
        let file = store.folder.path("bulk.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<3 {
            let importer = try RunningProcess(customerES, ["--store", store.path, "import", file.path, "--send-verification"])
            usleep(UInt32.random(in: 50_000...400_000, using: &generator))
            importer.kill9()
            let verify = try store.run(["rebuild", "--verify"], timeout: 60)
            XCTAssertEqual(verify.status, 0, "round \(round): projections out of step with the log after kill -9: \(verify.stdout) \(verify.stderr)")
            let created = try store.events().filter { $0["type"] as? String == "CustomerCreated" }.count
            let total = try jsonObject(try store.run(["list", "--json", "--limit", "1"]).stdout)["total"] as? Int
            XCTAssertEqual(total, created, "round \(round): the list counts every created customer exactly once")
        }
        let finish = try store.run(["import", file.path, "--send-verification"], timeout: 120)
        XCTAssertEqual(finish.status, 0, "a re-run completes the interrupted import: \(finish.stderr)")
        XCTAssertEqual(try jsonObject(try store.run(["list", "--json", "--limit", "1"]).stdout)["total"] as? Int, 6001)
        let verify = try store.run(["rebuild", "--verify"], timeout: 60)
        XCTAssertEqual(verify.status, 0, verify.stdout)
    }
}

/// `list --all`: the whole listing in any format, ignoring --limit (the CSV export).
final class CLIListAllTests: XCTestCase {
    func testListAllPrintsEveryRowInEveryFormat() throws {
        let store = CLIStore()
        for index in 1...23 {
            try store.create("all\(index)@example.com", ["last-name": "Name\(String(format: "%02d", 24 - index))"])
        }
        let csv = try store.run(["list", "--format", "csv", "--all", "--limit", "5", "--sort", "last-name"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Reference,Created,Email,Last Name,First Name,Status")
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",").first.map(String.init) }, (1...23).reversed().map { "DE--\($0)" })

        let json = try jsonObject(try store.run(["list", "--json", "--all", "--status", "unverified"]).stdout)
        let items = try XCTUnwrap(json["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["reference"] as? String }, (1...23).map { "DE--\($0)" })
        XCTAssertEqual(json["total"] as? Int, 23)
        XCTAssertTrue(json["nextCursor"] is NSNull)

        let table = try store.run(["list", "--all", "--search", "all1"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.hasPrefix("Reference"), table.stdout)
        XCTAssertTrue(table.stdout.contains("11 customer(s)."), table.stdout)  // all1, all10…all19
        XCTAssertEqual(table.stdout.split(separator: "\n").count, 13)
    }
}

/// A cursor of another store is refused as a usage error naming the problem.
final class CLICursorTests: XCTestCase {
    func testACursorOfAnotherStoreIsAUsageError() throws {
        let first = CLIStore()
        let second = CLIStore()
        for store in [first, second] {
            for index in 1...3 { try store.create("c\(index)@example.com") }
        }
        let page = try jsonObject(try first.run(["list", "--json", "--limit", "1"]).stdout)
        let cursor = try XCTUnwrap(page["nextCursor"] as? String)
        XCTAssertEqual(try second.run(["list", "--limit", "1"]).status, 0)
        let foreign = try second.run(["list", "--limit", "1", "--cursor", cursor])
        XCTAssertEqual(foreign.status, 2, foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("not made by this store"), foreign.stderr)
        XCTAssertEqual(try first.run(["list", "--limit", "1", "--cursor", cursor]).status, 0)
    }
}
