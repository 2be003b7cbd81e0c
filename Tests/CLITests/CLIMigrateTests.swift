import Foundation
import TestSupport
import XCTest

/// `migrate`: a store of the format before sealing keeps opening, and migrates without losing anything.
final class CLIMigrateTests: XCTestCase {
    static let legacyValues = ["Annlegacy", "Oldformat", "Newerformat", "Legacyco", "555 0101", "legacy.ann@example.com"]

    static func found(_ values: [String], under folder: URL) -> [String] {
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return values.filter { value in
            files.contains { (try? Data(contentsOf: $0))?.range(of: Data(value.utf8)) != nil }
        }
    }

    /// The events as `events --json` prints them, without what may differ by design (nothing should).
    static func log(_ store: CLIStore) throws -> [NSDictionary] {
        let output = try store.run(["events", "--json"])
        XCTAssertEqual(output.status, 0, output.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [NSDictionary])
    }

    func testAFormatOneStoreOpensMigratesKeepingEveryEventAndCanThenBeErased() throws {
        let store = CLIStore()
        try FormatOneStoreFixture.unpack(into: store.url)
        let before = try Self.log(store)
        XCTAssertEqual(before.count, 5)
        XCTAssertEqual(before.map { $0["actor"] as? String }, ["alice", "alice", "bob", "alice", "alice"])
        XCTAssertEqual(try store.show("DE--1")["lastName"] as? String, "Newerformat", "the old store reads as it is")
        XCTAssertEqual(Self.found(Self.legacyValues, under: store.url), Self.legacyValues, "positive control")

        let refused = try store.run(["forget", "DE--1", "--reason", "asked"])
        XCTAssertEqual(refused.status, 1, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("customer-es migrate"), refused.stderr)
        XCTAssertEqual(try Self.log(store), before, "nothing written")

        let migrate = try store.run(["migrate"])
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        XCTAssertTrue(migrate.stdout.contains("from format 1 to 4"), migrate.stdout)
        XCTAssertTrue(migrate.stdout.contains("2 reference key(s) rewritten"), migrate.stdout)
        XCTAssertTrue(migrate.stdout.contains("3 event(s)"), migrate.stdout)
        XCTAssertEqual(try Self.log(store), before, "every event keeps its id, position, time, actor and data")
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
        let again = try store.run(["migrate"])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("already in the current format"), again.stdout)

        let forget = try store.run(["forget", "DE--1", "--reason", "asked"])
        XCTAssertEqual(forget.status, 0, forget.stderr)
        XCTAssertEqual(Self.found(Self.legacyValues, under: store.url), [], "the log itself no longer holds them")
        XCTAssertEqual(try store.show("DE--2")["firstName"] as? String, "Benlegacy")
        let after = try Self.log(store)
        XCTAssertEqual(after.count, 6)
        XCTAssertEqual(after.prefix(5).map { $0["recordedAt"] as? String }, before.map { $0["recordedAt"] as? String })
        XCTAssertEqual(after.prefix(5).map { $0["position"] as? Int }, before.map { $0["position"] as? Int })
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }
}
