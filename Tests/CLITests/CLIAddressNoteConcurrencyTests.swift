import Foundation
import TestSupport
import XCTest

/// Addresses and notes from several processes at once, and kill -9 in the middle of a stream of them.
final class CLIAddressNoteConcurrencyTests: XCTestCase {
    /// Each process decides on the state it finds inside its write transaction: every command lands once, and
    /// the ids it hands out are consecutive and unique.
    func testConcurrentNoteAndAddressAddsOnOneCustomerAreNeitherLostNorDoubled() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        let count = try store.eventCount()
        let address = ["--salutation", "Mr", "--first-name", "Max", "--last-name", "Mu", "--address1", "Weg", "--city", "Kiel",
                       "--zip-code", "24103", "--country", "DE"]
        var lines: [[String]] = []
        for index in 0..<6 {
            lines.append(["--store", store.path, "note", "add", reference, "--message", "note \(index)"])
            lines.append(["--store", store.path, "address", "add", reference] + address + ["--comment", "address \(index)", "--default-shipping"])
        }
        let outputs = runConcurrently(lines, timeout: 60)
        for output in outputs { XCTAssertEqual(output?.status, 0, output?.stderr ?? "did not finish") }
        XCTAssertEqual(try store.eventCount(), count + lines.count)

        let notes = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try store.run(["note", "list", reference, "--json"]).stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(notes.map { $0["id"] as? String }, (1...6).map { "N\($0)" })
        XCTAssertEqual(Set(notes.compactMap { $0["message"] as? String }), Set((0..<6).map { "note \($0)" }))
        let addresses = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try store.run(["address", "list", reference, "--json"]).stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(addresses.map { $0["id"] as? String }, (1...6).map { "A\($0)" })
        XCTAssertEqual(Set(addresses.compactMap { $0["comment"] as? String }), Set((0..<6).map { "address \($0)" }))
        XCTAssertEqual(addresses.filter { $0["defaultShipping"] as? Bool == true }.count, 1, "at most one default shipping address")
        XCTAssertEqual(addresses.last?["defaultShipping"] as? Bool, true, "the last one to take it has it")
    }

    /// A stream of note and address commands, each process killed with SIGKILL at a random moment of its run
    /// (before, during or after its write transaction). After every few kills the projections still match the
    /// log, every committed event decodes, and each committed `AddressAdded` is one listed address.
    func testKillMinus9DuringAStreamOfAddressAndNoteCommandsLeavesTheStoreConsistent() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        let address = ["--salutation", "Mr", "--first-name", "Max", "--last-name", "Mu", "--address1", "Weg", "--city", "Kiel",
                       "--zip-code", "24103", "--country", "DE"]
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for round in 0..<4 {
            for step in 0..<8 {
                let number = round * 8 + step + 1
                let commands: [[String]] = [
                    ["note", "add", reference, "--message", "note \(number)"],
                    ["address", "add", reference] + address + ["--default-billing"],
                    ["address", "edit", reference, "A\(number / 2 + 1)", "--city", "Lübeck \(number)", "--default-shipping"],
                    ["note", "withdraw", reference, "N\(number / 2 + 1)"],
                    ["address", "remove", reference, "A\(number / 3 + 1)"],
                ]
                let command = commands[number % commands.count]
                let process = try RunningProcess(customerES, ["--store", store.path] + command)
                usleep(UInt32.random(in: 0...60_000, using: &generator))
                if process.process.isRunning { killed += 1 }
                process.kill9()
            }
            let verify = try store.run(["rebuild", "--verify"], timeout: 60)
            XCTAssertEqual(verify.status, 0, "round \(round): \(verify.stdout) \(verify.stderr)")
            let history = try store.run(["history", reference])
            XCTAssertEqual(history.status, 0, "round \(round): every committed event decodes: \(history.stderr)")
            let addresses = try XCTUnwrap(try store.show(reference)["addresses"] as? [[String: Any]])
            XCTAssertLessThanOrEqual(addresses.filter { $0["defaultBilling"] as? Bool == true }.count, 1)
            let events = try store.events().compactMap { $0["type"] as? String }
            let expected = events.filter { $0 == "AddressAdded" }.count - events.filter { $0 == "AddressRemoved" }.count
            XCTAssertEqual(addresses.count, expected, "round \(round): no address lost or doubled")
        }
        // The store still takes commands after the kills.
        let after = try store.run(["note", "add", reference, "--message", "after the crashes"])
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertGreaterThan(killed, 0, "some processes were killed while running")
        let written = try store.events().filter { ($0["type"] as? String).map { $0.hasPrefix("Address") || $0.hasPrefix("Note") } ?? false }
        XCTAssertGreaterThan(written.count, 1, "some commands got to commit before their kill")
        XCTAssertLessThan(written.count, 33, "and some were killed before")
    }
}
