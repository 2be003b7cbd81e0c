import Foundation
import TestSupport
import XCTest

/// `forget CUSTOMER --reason`: through the binary, against a real store, with the store's files and backups
/// searched byte for byte for every personal value.
final class CLIForgetTests: XCTestCase {
    /// The customer's personal values as they would sit in the store's bytes (the birth date in its compact
    /// encoding: present bool, year varint, month, day).
    static let maria: [String: String] = [
        "email": "Maria.Zq@Example.com", "first-name": "Mariazq", "last-name": "Williamszq", "phone": "+49 30 998877",
        "company": "Zqcorp Holdings", "date-of-birth": "1981-03-04", "salutation": "Ms",
    ]
    static let personalBytes: [(String, [UInt8])] = [
        ("email", Array("Maria.Zq@Example.com".utf8)), ("email lower-cased", Array("maria.zq@example.com".utf8)),
        ("first name", Array("Mariazq".utf8)), ("last name", Array("Williamszq".utf8)),
        ("edited last name", Array("Smythzq".utf8)), ("phone", Array("998877".utf8)),
        ("company", Array("Zqcorp".utf8)), ("birth date", [0x01, 0xBD, 0x0F, 0x03, 0x04]),
        ("folded last name", Array("williamszq".utf8)),
        ("address street", Array("Zqstrasse".utf8)), ("address city", Array("Zqhausen".utf8)),
        ("note", Array("Zqnote about".utf8)), ("pending new email", Array("maria.new.zq@example.com".utf8)),
    ]

    /// Every file under `folder`, with the personal values found in it.
    static func valuesFound(under folder: URL) -> [String] {
        var found: [String] = []
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files {
            guard let data = try? Data(contentsOf: file) else { continue }
            for (name, bytes) in personalBytes where data.range(of: Data(bytes)) != nil {
                found.append("\(name) in \(file.lastPathComponent)")
            }
        }
        return found
    }

    func testForgetErasesEveryPersonalValueFromTheStoreAndANewBackup() throws {
        let store = CLIStore()
        let reference = try store.create(Self.maria["email"]!, Self.maria)
        XCTAssertEqual(try store.run(["edit", reference, "--last-name", "Smythzq"]).status, 0)
        XCTAssertEqual(try store.run(["edit", reference, "--last-name", "Williamszq"]).status, 0)
        let address = try store.run(["address", "add", reference, "--salutation", "Ms", "--first-name", "Mariazq", "--last-name",
                                     "Williamszq", "--address1", "Zqstrasse 5", "--city", "Zqhausen", "--zip-code", "12345", "--country", "DE"])
        XCTAssertEqual(address.status, 0, address.stderr)
        XCTAssertEqual(try store.run(["note", "add", reference, "--message", "Zqnote about the call"]).status, 0)
        let change = try store.run(["change-email", reference, "--email", "maria.new.zq@example.com"])
        XCTAssertEqual(change.status, 0, change.stderr)
        let other = try store.create("other@example.com", ["first-name": "Bob", "last-name": "Keeper"])
        Thread.sleep(forTimeInterval: 0.01)
        let beforeForget = ISO.format(Date())

        // Positive control: the values are there, in the store and in a backup taken now.
        let before = store.folder.path("backup-before")
        XCTAssertEqual(try store.run(["backup", before.path]).status, 0)
        XCTAssertEqual(Set(Self.valuesFound(under: store.url).map { $0.components(separatedBy: " in ")[0] }).count, Self.personalBytes.count,
                       "\(Self.valuesFound(under: store.url))")
        XCTAssertFalse(Self.valuesFound(under: before).isEmpty)

        let count = try store.eventCount()
        let forget = try store.run(["forget", reference, "--reason", "customer asked, ticket 4711"])
        XCTAssertEqual(forget.status, 0, forget.stderr)
        XCTAssertTrue(forget.stdout.contains("Customer \(reference) was erased."), forget.stdout)
        XCTAssertTrue(forget.stdout.contains("compacted"), forget.stdout)
        XCTAssertEqual(try store.eventCount(), count + 1, "one CustomerForgotten, nothing rewritten")

        XCTAssertEqual(Self.valuesFound(under: store.url), [], "personal data left in the store's files")
        let after = store.folder.path("backup-after")
        XCTAssertEqual(try store.run(["backup", after.path]).status, 0)
        XCTAssertEqual(Self.valuesFound(under: after), [], "personal data in a backup taken after forget")

        // Every reader says "erased customer" and prints no value.
        let history = try store.run(["history", reference])
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertTrue(history.stdout.contains("erased customer \(reference)"), history.stdout)
        XCTAssertTrue(history.stdout.contains("customer asked, ticket 4711"), history.stdout)
        let shown = try store.show(reference)
        XCTAssertEqual(shown["erased"] as? String, "erased customer \(reference)")
        XCTAssertEqual(shown["status"] as? String, "Unverified")
        let past = try store.show(reference, asOf: beforeForget)
        XCTAssertEqual(past["erased"] as? String, "erased customer \(reference)")
        XCTAssertEqual(past["reference"] as? String, reference)
        for output in [history.stdout, try store.run(["events", "--json"]).stdout, try store.run(["history", reference, "--json"]).stdout,
                       try store.run(["show", reference, "--as-of", beforeForget, "--json"]).stdout, try store.run(["list", "--json", "--all"]).stdout,
                       try store.run(["outbox", "list", "--json"]).stdout] {
            for (name, bytes) in Self.personalBytes where output.utf8.count >= bytes.count {
                XCTAssertNil(Data(output.utf8).range(of: Data(bytes)), "\(name) printed: \(output)")
            }
        }
        XCTAssertTrue(try store.run(["events", "--json"]).stdout.contains("\"personalData\":\"erased\""))
        XCTAssertEqual(try store.show(other)["lastName"] as? String, "Keeper", "the other customer keeps everything")

        // The address is free again; the erased customer can no longer be found by it or changed.
        let again = try store.run(["forget", reference, "--reason", "twice"])
        XCTAssertEqual(again.status, 1, again.stdout)
        XCTAssertTrue(again.stderr.contains("was erased"), again.stderr)
        XCTAssertEqual(try store.run(["edit", reference, "--first-name", "X"]).status, 1)
        let reused = try store.create("maria.zq@example.com", ["first-name": "New", "last-name": "Owner"])
        XCTAssertNotEqual(reused, reference)
        try store.create("maria.new.zq@example.com", ["first-name": "Pending", "last-name": "Released"])
        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        // A backup taken before keeps the values (documented): erasure cannot reach copies made earlier.
        XCTAssertFalse(Self.valuesFound(under: before).isEmpty)
    }

    /// A request id's fingerprint hashes the command's input (the email, the names): erasure zeroes those of the
    /// customer's requests, so a retry is refused as reused instead of being matched against the old input.
    func testTheCustomersRequestFingerprintsAreForgottenToo() throws {
        let store = CLIStore()
        let create = CLIStore.createArguments(email: "req.zq@example.com")
        XCTAssertEqual(try store.run(["--request-id", "r-1"] + create).status, 0)
        XCTAssertEqual(try store.run(["--request-id", "r-1"] + create).status, 0, "before: a retry replays")
        XCTAssertEqual(try store.run(["--request-id", "f-1", "forget", "req.zq@example.com", "--reason", "asked"]).status, 0)
        let retry = try store.run(["--request-id", "r-1"] + create)
        XCTAssertEqual(retry.status, 1, retry.stdout)
        XCTAssertTrue(retry.stderr.contains("already used"), retry.stderr)
        let again = try store.run(["--request-id", "f-1", "forget", "DE--1", "--reason", "asked"])
        XCTAssertEqual(again.status, 0, "the erasure's own request replays by the customer it resolved to: \(again.stderr)")
    }

    func testRefusedErasuresWriteNothing() throws {
        let store = CLIStore()
        let reference = try store.create("keep@example.com")
        let count = try store.eventCount()
        let missingReason = try store.run(["forget", reference])
        XCTAssertEqual(missingReason.status, 1, missingReason.stdout)
        XCTAssertTrue(missingReason.stderr.contains("reason"), missingReason.stderr)
        let blankReason = try store.run(["forget", reference, "--reason", "   "])
        XCTAssertEqual(blankReason.status, 1)
        let unknown = try store.run(["forget", "DE--99", "--reason", "asked"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("No customer"), unknown.stderr)
        XCTAssertEqual(try store.eventCount(), count)
        XCTAssertEqual(try store.show(reference)["email"] as? String, "keep@example.com")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.url.appendingPathComponent("compaction-pending").path))
    }

    /// kill -9 at some moment of `forget` (the decision, the commit, the copy, the swap): the store opens, the
    /// projections match the log, and the customer is either erased (a pending compaction is finished by
    /// `compact`) or untouched and `forget` works when run again.
    func testKillDuringForgetLeavesItEitherDoneOrUndoneAndRerunnable() throws {
        for delay in [0, 20, 40, 60, 80, 120] {
            let store = CLIStore()
            let reference = try store.create(Self.maria["email"]!, Self.maria)
            let child = try RunningProcess(customerES, ["--store", store.path, "forget", reference, "--reason", "asked"])
            usleep(useconds_t(delay * 1000))
            child.kill9()
            let verify = try store.run(["rebuild", "--verify"])
            XCTAssertEqual(verify.status, 0, "delay \(delay): \(verify.stdout) \(verify.stderr)")
            let shown = try store.show(reference)
            if shown["erased"] == nil {
                XCTAssertEqual(shown["firstName"] as? String, "Mariazq", "delay \(delay): not committed means untouched")
                XCTAssertEqual(try store.run(["forget", reference, "--reason", "asked"]).status, 0, "delay \(delay)")
            } else {
                let compact = try store.run(["compact"])
                XCTAssertEqual(compact.status, 0, "delay \(delay): \(compact.stderr)")
            }
            XCTAssertEqual(Self.valuesFound(under: store.url), [], "delay \(delay)")
            XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0, "delay \(delay)")
        }
    }

    func testCompactionWaitsForTheStoreToBeFreeAndBackupsMeanwhileAreScrubbed() throws {
        let store = CLIStore()
        let reference = try store.create(Self.maria["email"]!, Self.maria)
        // A running process (here `events --follow`) keeps the store open.
        let follower = try RunningProcess(customerES, ["--store", store.path, "events", "--follow"])
        defer { follower.kill9() }
        let deadline = Date().addingTimeInterval(10)
        while follower.lines.isEmpty && Date() < deadline { usleep(20_000) }
        let forget = try store.run(["forget", reference, "--reason", "asked"])
        XCTAssertEqual(forget.status, 0, forget.stderr)
        XCTAssertTrue(forget.stderr.contains("not compacted yet"), forget.stderr)
        let backup = store.folder.path("backup")
        XCTAssertEqual(try store.run(["backup", backup.path]).status, 0)
        XCTAssertEqual(Self.valuesFound(under: backup), [], "a backup while compaction is pending is scrubbed")
        XCTAssertNotEqual(try store.run(["compact"]).status, 0, "refused while another process has the store open")
        follower.kill9()
        let compact = try store.run(["compact"])
        XCTAssertEqual(compact.status, 0, compact.stderr)
        XCTAssertEqual(Self.valuesFound(under: store.url), [])
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }

    /// More customers share a name's trigrams than one posting block holds (64), with edits before and after
    /// two erasures: the live list and a rebuild still hold the same bytes.
    func testARebuildAfterErasuresInLongPostingListsMatchesTheLiveList() throws {
        let store = CLIStore()
        var csv = "customer_reference,locale_name,phone,email,salutation,first_name,last_name,company,gender,date_of_birth,password,registered\n"
        for number in 1...150 { csv += "DE--\(number),en_US,,w\(number)@example.com,Mr,Anna\(number),Williams,,,,,\n" }
        let file = store.folder.path("customers.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try store.run(["import", file.path]).status, 0)
        XCTAssertEqual(try store.run(["edit", "DE--50", "--last-name", "Williamsx"]).status, 0)
        XCTAssertEqual(try store.run(["forget", "DE--10", "--reason", "asked"]).status, 0)
        try store.create("late@example.com", ["first-name": "Anna", "last-name": "Williams"])
        XCTAssertEqual(try store.run(["forget", "DE--100", "--reason", "asked"]).status, 0)
        XCTAssertEqual(try store.run(["edit", "DE--120", "--first-name", "Annax"]).status, 0)
        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertFalse(try store.run(["list", "--search", "anna10", "--all"]).stdout.contains("DE--10 "))
        XCTAssertTrue(try store.run(["list", "--search", "anna11", "--all"]).stdout.contains("DE--11 "))
    }

    /// The same on a store of 5 000 customers, where `forget` takes long enough (~0.25 s in a debug build) for
    /// the kills to land in its compaction too: a killed compaction leaves the marker and its scratch folder, and
    /// `compact` then finishes it.
    func testKillDuringTheCompactionOfALargerStoreIsFinishedByCompact() throws {
        let template = CLIStore()
        var csv = "customer_reference,locale_name,phone,email,salutation,first_name,last_name,company,gender,date_of_birth,password,registered\n"
        for number in 1...5000 {
            csv += number == 77
                ? "DE--77,en_US,,zqkill@example.com,Ms,Zqkillfirst,Zqkilllast,,,,,\n"
                : "DE--\(number),en_US,,w\(number)@example.com,Mr,Anna\(number),Williams\(number),Co \(number),,,,\n"
        }
        let file = template.folder.path("customers.csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try template.run(["import", file.path]).status, 0)
        let target: [(String, [UInt8])] = [
            ("first name", Array("Zqkillfirst".utf8)), ("last name", Array("Zqkilllast".utf8)), ("email", Array("zqkill@example".utf8)),
        ]
        var outcomes: [String] = []
        // Kill moments: when the marker appears (around the commit), when the compaction's scratch copy appears
        // (the copy in progress), and at fixed delays across the whole command.
        let moments: [(String, (CLIStore) -> Bool)] = [
            ("marker", { FileManager.default.fileExists(atPath: $0.url.appendingPathComponent("compaction-pending").path) }),
            ("scratch copy", { ((try? FileManager.default.contentsOfDirectory(atPath: $0.path)) ?? []).contains { $0.hasPrefix(".compact-") } }),
        ] + stride(from: 100, through: 500, by: 100).map { delay in
            ("\(delay) ms", { _ in usleep(useconds_t(delay * 1000)); return true })
        }
        for (delay, moment) in moments {
            let store = CLIStore()
            try FileManager.default.copyItem(at: template.url, to: store.url)
            let child = try RunningProcess(customerES, ["--store", store.path, "forget", "DE--77", "--reason", "asked"])
            let deadline = Date().addingTimeInterval(10)
            while !moment(store) && child.process.isRunning && Date() < deadline { usleep(200) }
            child.kill9()
            let pending = FileManager.default.fileExists(atPath: store.url.appendingPathComponent("compaction-pending").path)
            let shown = try store.show("DE--77")
            let erased = shown["erased"] != nil
            outcomes.append("\(delay): \(erased ? "erased" : "untouched")\(pending ? ", compaction pending" : "")")
            XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0, "delay \(delay)")
            // The scratch copy is made only after the erasure committed.
            if delay == "scratch copy" { XCTAssertTrue(erased, "killed during the compaction: the erasure is committed") }
            if erased {
                XCTAssertEqual(try store.run(["compact"]).status, 0, "delay \(delay)")
            } else {
                XCTAssertEqual(shown["firstName"] as? String, "Zqkillfirst", "delay \(delay)")
                XCTAssertEqual(try store.run(["forget", "DE--77", "--reason", "asked"]).status, 0, "delay \(delay)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: store.url.appendingPathComponent("compaction-pending").path))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.path).filter { $0.hasPrefix(".compact-") }
            XCTAssertEqual(leftovers, [], "delay \(delay)")
            let data = try Data(contentsOf: store.url.appendingPathComponent("data.mdb"))
            for (name, bytes) in target { XCTAssertNil(data.range(of: Data(bytes)), "delay \(delay): \(name)") }
            XCTAssertEqual(try store.show("DE--78")["firstName"] as? String, "Anna78", "delay \(delay): the others keep their data")
        }
        print("kill -9 during forget on 5 000 customers: " + outcomes.joined(separator: "; "))
    }
}
