import Foundation
import TestSupport
import XCTest

/// Import: every broken rule of a row, whole-file refusals, standard input, the JSON round trip, and reference
/// numbers reserved before the import writes.
final class CLIImportHardeningTests: XCTestCase {
    static let header = "customer_reference,email,salutation,first_name,last_name,registered\n"

    func testEveryBrokenRuleOfARowIsReportedWithTheFilesColumnNames() throws {
        let store = CLIStore()
        let file = store.folder.path("rows.csv")
        try (Self.header + "oops,not-an-email,Sir,A:B,B,2020-02-30\nDE--2,fine@example.com,Ms,C,D,\n").write(to: file, atomically: true, encoding: .utf8)
        let output = try store.run(["import", file.path, "--json"])
        XCTAssertEqual(output.status, 1, output.stderr)
        let report = try jsonObject(output.stdout)
        let rejected = try XCTUnwrap(report["rejected"] as? [[String: Any]])
        XCTAssertEqual(Set(rejected.compactMap { $0["field"] as? String }),
                       ["customer_reference", "registered", "email", "salutation", "first_name"], "\(rejected)")
        XCTAssertTrue(rejected.allSatisfy { $0["line"] as? Int == 2 })
        XCTAssertEqual((report["imported"] as? [Any])?.count, 1)
    }

    func testAStructuralFailureRejectsTheWholeFileAndCreatesNoStore() throws {
        let cases: [(String, String, String)] = [
            ("unclosed quote", Self.header + "DE--1,a@example.com,Mr,A,B,\nDE--2,\"b@example.com,Mr,A,B,\n", "never closed"),
            ("bad header", "reference,mail\nDE--1,a@example.com\n", "the header lacks the column(s)"),
            ("semicolons", "customer_reference;email;salutation;first_name;last_name\nDE--1;a@example.com;Mr;A;B\n", "separated by ;"),
            ("not UTF-8", Self.header, "not UTF-8"),
        ]
        for (label, text, expected) in cases {
            let store = CLIStore()
            let file = store.folder.path("broken.csv")
            var data = Data(text.utf8)
            if label == "not UTF-8" { data += Data("DE--1,a@example.com,Mr,M\u{00FC}ller,B,\n".utf8.map { $0 == 0xC3 ? 0xFF : $0 }) }
            try data.write(to: file)
            let output = try store.run(["import", file.path])
            XCTAssertEqual(output.status, 1, "\(label): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains(expected), "\(label): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains("nothing was imported"), "\(label): \(output.stderr)")
            XCTAssertFalse(output.stderr.contains("the valid rows were imported"), "\(label): \(output.stderr)")
            XCTAssertFalse(store.exists, "\(label): no store was created")
        }
    }

    func testAFileOfOnlyBadRowsSaysNoRowWasImported() throws {
        let store = CLIStore()
        try store.create("first@example.com")
        let file = store.folder.path("bad.csv")
        try (Self.header + "DE--5,broken,Mr,A,B,\n").write(to: file, atomically: true, encoding: .utf8)
        let output = try store.run(["import", file.path])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("no row was imported"), output.stderr)
    }

    func testStandardInputIsImportedWithADash() throws {
        let store = CLIStore()
        let output = try runProcess(customerES, ["--store", store.path, "import", "-"],
                                    stdin: Self.header + "DE--7,stdin@example.com,Ms,In,Put,2021-03-04\n")
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(try store.show("DE--7")["status"] as? String, "Verified")
    }

    func testListJSONImportsBackIntoAnotherStoreUnchanged() throws {
        let source = CLIStore()
        try source.create("round@example.com", ["gender": "Female", "phone": "+49 30 1234", "company": "Acme", "date-of-birth": "1990-05-06", "locale": "de_DE"])
        try source.create("trip@example.com")
        let token = try source.token("DE--1")
        XCTAssertEqual(try source.run(["verify-email", "--token", token]).status, 0)
        let listed = try jsonObject(try source.run(["list", "--json", "--all"]).stdout)
        let items = try XCTUnwrap(listed["items"] as? [[String: Any]])
        let lines = try items.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let target = CLIStore()
        let file = target.folder.path("export.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let imported = try target.run(["import", file.path])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let again = try XCTUnwrap(try jsonObject(try target.run(["list", "--json", "--all"]).stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(again.count, items.count)
        for (before, after) in zip(items, again) {
            for key in ["reference", "email", "salutation", "firstName", "lastName", "gender", "dateOfBirth", "phone", "company",
                        "locale", "status", "createdAt", "verifiedAt"] {
                XCTAssertEqual("\(before[key] ?? "absent")", "\(after[key] ?? "absent")", "\(key) of \(before["reference"] ?? "?")")
            }
        }
    }

    func testTheImportReservesItsReferencesSoACreateNeverTakesOneAndAReRunCompletes() throws {
        let store = CLIStore()
        var csv = Self.header
        // Three transactions of the import (5 000 rows each): the create goes between the first and the last.
        for index in 1...12000 { csv += "DE--\(index),reserve\(index)@example.com,Mr,R\(index),Load,\n" }
        let file = store.folder.path("reserve.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        let importer = try RunningProcess(customerES, ["--store", store.path, "import", file.path])
        // Wait for the first batch to land, then create from another process while the import goes on.
        let deadline = Date().addingTimeInterval(30)
        func landed() -> Bool {
            guard store.exists, let output = try? store.run(["list", "--json", "--limit", "1"]), output.status == 0 else { return false }
            return !output.stdout.contains("\"total\":0")
        }
        while !landed() {
            XCTAssertLessThan(Date(), deadline, "the import wrote nothing in 30 s")
            usleep(20_000)
        }
        let concurrent = try store.create("concurrent@example.com")
        XCTAssertTrue(importer.process.isRunning, "the create ran while the import was still writing")
        importer.kill9()
        XCTAssertEqual(concurrent, "DE--12001", "a create during the import takes a number after the file's")
        let rerun = try store.run(["import", file.path], timeout: 120)
        XCTAssertEqual(rerun.status, 0, "the re-run completes exactly: \(rerun.stderr.prefix(500))")
        XCTAssertEqual(try jsonObject(try store.run(["list", "--json", "--limit", "1"]).stdout)["total"] as? Int, 12001)
        XCTAssertEqual(try store.create("after@example.com"), "DE--12002")
        XCTAssertEqual(try store.run(["rebuild", "--verify"], timeout: 60).status, 0)
    }
}
