import Foundation
import TestSupport
import XCTest

/// An erased customer's row in `list`, through the binary: the table says "erased customer" where the email was
/// and "—" for the names; JSON is `show --json`'s shape for an erased customer (`erased`, null personal fields);
/// CSV keeps the cells empty (an export holds data, never a placeholder).
final class CLIErasedCustomerListTests: XCTestCase {
    func testTheListSaysErasedCustomerInItsTableAndShowsShapeInJSON() throws {
        let store = CLIStore()
        let kept = try store.create("kept@example.com", ["first-name": "Kept", "last-name": "Person"])
        let erased = try store.create("gone@example.com", ["first-name": "Gone", "last-name": "Person"])
        let forget = try store.run(["forget", erased, "--reason", "asked by letter"])
        XCTAssertEqual(forget.status, 0, forget.stderr)

        let table = try store.run(["list"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let erasedLine = try XCTUnwrap(table.stdout.split(separator: "\n").first { $0.hasPrefix(erased + " ") }, table.stdout)
        XCTAssertEqual(Array(Self.cells(erasedLine).dropFirst(2)), ["erased customer", "—", "—", "Unverified"], String(erasedLine))
        let keptLine = try XCTUnwrap(table.stdout.split(separator: "\n").first { $0.hasPrefix(kept + " ") }, table.stdout)
        XCTAssertEqual(Array(Self.cells(keptLine).dropFirst(2)), ["kept@example.com", "Person", "Kept", "Unverified"])
        let streamed = try store.run(["list", "--all"])
        XCTAssertTrue(streamed.stdout.contains("erased customer"), streamed.stdout)

        let json = try store.run(["list", "--json"])
        let items = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["items"] as? [[String: Any]])
        let gone = try XCTUnwrap(items.first { $0["reference"] as? String == erased })
        XCTAssertEqual(gone["erased"] as? String, "erased customer \(erased)")
        XCTAssertTrue(gone["email"] is NSNull && gone["lastName"] is NSNull, "\(gone)")
        XCTAssertEqual(gone["status"] as? String, "Unverified")
        let alive = try XCTUnwrap(items.first { $0["reference"] as? String == kept })
        XCTAssertNil(alive["erased"], "only an erased customer has the key")
        XCTAssertEqual(alive["email"] as? String, "kept@example.com")

        let csv = try store.run(["list", "--format", "csv"])
        XCTAssertTrue(csv.stdout.split(separator: "\n").contains { $0.hasPrefix(erased + ",") && $0.hasSuffix(",,,,Unverified") }, csv.stdout)
        XCTAssertFalse(csv.stdout.contains("erased customer"), csv.stdout)
    }

    /// A table line's cells (columns are separated by two spaces or more).
    static func cells(_ line: Substring) -> [String] {
        line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
