import Foundation
import TestSupport
import XCTest

/// `address add/edit/remove/list`: through the binary, against a real store.
final class CLIAddressTests: XCTestCase {
    static let berlin = ["--salutation", "ms", "--first-name", "Maria", "--last-name", "Williams", "--address1", "Hauptstraße 1",
                         "--city", "Berlin", "--zip-code", "10115", "--country", "de"]
    static let hamburg = ["--salutation", "Mr", "--first-name", "Max", "--last-name", "Mu", "--address1", "Weg 2", "--company", "ACME",
                          "--city", "Hamburg", "--zip-code", "20095", "--country", "DE", "--phone", "+49 40 1", "--comment", "Ring twice"]

    private func addresses(_ store: CLIStore, _ customer: String) throws -> [[String: Any]] {
        let output = try store.run(["address", "list", customer, "--json"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
    }

    func testAddEditRemoveAndListWithDefaultsShowHistoryAndAsOf() throws {
        let store = CLIStore()
        let reference = try store.create("maria@example.com")
        let first = try store.run(["address", "add", reference] + Self.berlin + ["--default-billing", "--default-shipping"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Address A1 was added."), first.stdout)
        let second = try store.run(["address", "add", reference] + Self.hamburg + ["--default-billing", "--json"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try jsonObject(second.stdout)["message"] as? String, "Address A2 was added.")
        XCTAssertEqual(try jsonObject(second.stdout)["addressId"] as? String, "A2")
        Thread.sleep(forTimeInterval: 0.01)
        let beforeEdit = ISO.format(Date())
        Thread.sleep(forTimeInterval: 0.01)

        var listed = try addresses(store, reference)
        XCTAssertEqual(listed.map { $0["id"] as? String }, ["A1", "A2"])
        XCTAssertEqual(listed[0]["salutation"] as? String, "Ms")
        XCTAssertEqual(listed[0]["country"] as? String, "DE")
        XCTAssertEqual(listed[0]["defaultBilling"] as? Bool, false, "A2 took the billing default")
        XCTAssertEqual(listed[0]["defaultShipping"] as? Bool, true)
        XCTAssertEqual(listed[1]["defaultBilling"] as? Bool, true)
        XCTAssertTrue(listed[0]["company"] is NSNull)
        XCTAssertEqual(listed[1]["comment"] as? String, "Ring twice")

        let edit = try store.run(["address", "edit", reference, "a1", "--city", "München", "--zip-code", "80331", "--default-billing"])
        XCTAssertEqual(edit.status, 0, edit.stderr)
        XCTAssertTrue(edit.stdout.contains("Address A1 was updated."), edit.stdout)
        let clear = try store.run(["address", "edit", reference, "A2", "--company", "", "--no-default-billing"])
        XCTAssertEqual(clear.status, 0, clear.stderr)
        listed = try addresses(store, reference)
        XCTAssertEqual(listed[0]["city"] as? String, "München")
        XCTAssertEqual(listed[0]["defaultBilling"] as? Bool, true)
        XCTAssertTrue(listed[1]["company"] is NSNull)
        XCTAssertEqual(listed[1]["defaultBilling"] as? Bool, false)

        let shown = try store.show(reference)
        let shownAddresses = try XCTUnwrap(shown["addresses"] as? [[String: Any]])
        XCTAssertEqual(shownAddresses.map { $0["city"] as? String }, ["München", "Hamburg"])
        let past = try XCTUnwrap(try store.show(reference, asOf: beforeEdit)["addresses"] as? [[String: Any]])
        XCTAssertEqual(past.map { $0["city"] as? String }, ["Berlin", "Hamburg"], "show --as-of replays the addresses")
        XCTAssertEqual(past.map { $0["defaultBilling"] as? Bool }, [false, true])
        let text = try store.run(["show", reference])
        XCTAssertTrue(text.stdout.contains("A1  default billing, default shipping"), text.stdout)
        XCTAssertTrue(text.stdout.contains("City            München"), text.stdout)

        let remove = try store.run(["address", "remove", reference, "A1"])
        XCTAssertEqual(remove.status, 0, remove.stderr)
        listed = try addresses(store, reference)
        XCTAssertEqual(listed.map { $0["id"] as? String }, ["A2"])
        XCTAssertEqual(listed[0]["defaultBilling"] as? Bool, false, "removing the default address clears the default")
        let third = try store.run(["address", "add", reference] + Self.berlin)
        XCTAssertTrue(third.stdout.contains("Address A3 was added."), "ids are never reused: \(third.stdout)")

        let history = try store.run(["history", reference])
        XCTAssertTrue(history.stdout.contains("addresses.A1.city: Berlin → München"), history.stdout)
        XCTAssertTrue(history.stdout.contains("addresses.A2.defaultBilling: true → —"), history.stdout)
        XCTAssertTrue(history.stdout.contains("addresses.A1.defaultBilling: — → true"), history.stdout)
        XCTAssertTrue(history.stdout.contains("addresses.A2.company: ACME → —"), history.stdout)
        XCTAssertTrue(history.stdout.contains("Address A1 removed"), history.stdout)
        let events = try store.events()
        XCTAssertEqual(events.compactMap { $0["type"] as? String }.filter { $0.hasPrefix("Address") },
                       ["AddressAdded", "AddressAdded", "AddressEdited", "AddressEdited", "AddressRemoved", "AddressAdded"])
        let edited = try XCTUnwrap(events.first { $0["type"] as? String == "AddressEdited" }?["data"] as? [String: Any])
        XCTAssertEqual(edited.keys.sorted(), ["addressId", "city", "defaultBilling", "zipCode"], "exactly the changes")

        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let listText = try store.run(["address", "list", reference])
        XCTAssertTrue(listText.stdout.hasPrefix("A2\n"), listText.stdout)
    }

    func testAnEditThatChangesNothingWritesNothing() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        XCTAssertEqual(try store.run(["address", "add", reference] + Self.berlin + ["--default-billing"]).status, 0)
        let before = try store.eventLogText()
        let output = try store.run(["address", "edit", reference, "A1", "--city", " Berlin ", "--country", "de", "--phone", "", "--default-billing"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("Nothing changed."), output.stdout)
        XCTAssertEqual(try store.eventLogText(), before)
    }

    func testEveryProblemIsReportedAndNothingIsWritten() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        XCTAssertEqual(try store.run(["address", "add", reference] + Self.berlin).status, 0)
        let before = try store.eventLogText()
        let bad = try store.run(["address", "add", reference, "--salutation", "Sir", "--last-name", "A<b>", "--address1", String(repeating: "x", count: 256),
                                 "--zip-code", "1234567890123456", "--country", "XX", "--phone", "call", "--comment", "a\tb", "--json"])
        XCTAssertEqual(bad.status, 1, bad.stdout)
        let problems = try XCTUnwrap((try jsonObject(bad.stderr)["error"] as? [String: Any])?["problems"] as? [[String: Any]])
        XCTAssertEqual(problems.compactMap { $0["field"] as? String },
                       ["salutation", "first-name", "last-name", "address1", "city", "zip-code", "country", "phone", "phone", "comment"])
        let edit = try store.run(["address", "edit", reference, "A1", "--city", "", "--country", "Germany"])
        XCTAssertEqual(edit.status, 1)
        XCTAssertTrue(edit.stderr.contains("City is required"), edit.stderr)
        XCTAssertTrue(edit.stderr.contains("Country must be an ISO 3166-1 alpha-2 code"), edit.stderr)
        for arguments in [["address", "edit", reference, "A9", "--city", "Kiel"], ["address", "remove", reference, "A2"],
                          ["address", "remove", reference, "first"], ["address", "add", "DE--99"] + Self.berlin,
                          ["address", "list", "nobody@example.com"]] {
            let output = try store.run(arguments)
            XCTAssertEqual(output.status, 1, "\(arguments): \(output.stdout)")
        }
        let unknown = try store.run(["address", "remove", reference, "A2"])
        XCTAssertTrue(unknown.stderr.contains("no address A2") && unknown.stderr.contains("the customer's addresses are A1"), unknown.stderr)
        let contradiction = try store.run(["address", "edit", reference, "A1", "--default-billing", "--no-default-billing"])
        XCTAssertEqual(contradiction.status, 2, contradiction.stderr)
        XCTAssertEqual(try store.run(["address", "edit", reference]).status, 2, "the address id is required")
        XCTAssertEqual(try store.run(["address", "add", reference, "--city"]).status, 2)
        XCTAssertEqual(try store.eventLogText(), before, "nothing written by any refused command")
    }

    func testARetryWithTheSameRequestIdAddsNoSecondAddressOrNote() throws {
        let store = CLIStore()
        let reference = try store.create("max@example.com")
        for _ in 0..<2 {
            let address = try store.run(["--request-id", "r-1", "address", "add", reference] + Self.berlin)
            XCTAssertEqual(address.status, 0, address.stderr)
            XCTAssertTrue(address.stdout.contains("Address A1 was added."), address.stdout)
            let note = try store.run(["--request-id", "r-2", "note", "add", reference, "--message", "once", "--json"])
            XCTAssertEqual(note.status, 0, note.stderr)
            XCTAssertEqual(try jsonObject(note.stdout)["noteId"] as? String, "N1", "a retry answers the same id")
        }
        let events = try store.events().compactMap { $0["type"] as? String }
        XCTAssertEqual(events.filter { $0 == "AddressAdded" }.count, 1)
        XCTAssertEqual(events.filter { $0 == "NoteAdded" }.count, 1)
        let other = try store.run(["--request-id", "r-1", "address", "add", reference] + Self.hamburg)
        XCTAssertEqual(other.status, 1, "the same id with other input is refused: \(other.stdout)")
    }

    func testHelpListsTheFormsFieldsWithTheirRules() throws {
        let store = CLIStore()
        let help = try store.run(["address", "add", "--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        for text in ["--address1 TEXT", "[--address2 TEXT]", "--zip-code ZIP", "--country CC", "[--default-billing]", "ISO 3166-1 alpha-2"] {
            XCTAssertTrue(help.stdout.contains(text), "\(text) in \(help.stdout)")
        }
        XCTAssertTrue(try store.run(["--help"]).stdout.contains("address add"))
    }
}
