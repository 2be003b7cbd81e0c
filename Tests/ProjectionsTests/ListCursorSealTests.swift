import CustomerAggregate
import CustomerService
import EventStore
import Foundation
@testable import Projections
import XCTest

/// Cursors name the last row by its creation sequence (no sort value in clear) and carry a MAC under the store
/// key: a forged, altered or foreign cursor is refused.
final class ListCursorSealTests: XCTestCase {
    private static func bytes(ofCursor text: String) throws -> [UInt8] {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return [UInt8](try XCTUnwrap(Data(base64Encoded: base64)))
    }

    private static func text(ofCursor bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.count >= needle.count && (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    func testACursorRevealsNothingOfTheRowOrTheSearch() throws {
        let fixture = try CustomerFixture()
        try fixture.create([
            CustomerFixture.form("Quintessa", "Abernathy", "quintessa.private@example.com"),
            CustomerFixture.form("Bartholomew", "Zylberstein", "bartholomew.secret@example.com"),
            CustomerFixture.form("Quentin", "Abbott", "quentin.hidden@example.com"),
        ])
        for sort in CustomerListSort.allCases {
            let page = try fixture.page(CustomerListQuery(search: "xample", sort: sort, limit: 1))
            let cursor = try Self.bytes(ofCursor: try XCTUnwrap(page.nextCursor, "\(sort)"))
            let row = try XCTUnwrap(page.items.first)
            // Needles of 4 bytes or more: the cursor's 16 random MAC bytes hold any given 2-byte string now and then.
            for value in [row.profile.email, row.profile.firstName, row.profile.lastName, "xample"] {
                for needle in [Array(value.utf8), TextFolding.fold(value), ListOrderKey.collation(value)] where needle.count >= 4 {
                    XCTAssertFalse(Self.contains(cursor, needle), "\(sort): the cursor holds \(value)")
                }
            }
            XCTAssertLessThanOrEqual(cursor.count, 8 + 9 + 16, "\(sort): header, anchor and MAC only")
        }
    }

    func testForgedAlteredAndForeignCursorsAreRefused() throws {
        let fixture = try CustomerListTests.populated(count: 30, seed: 7)
        let query = CustomerListQuery(sort: .lastName, limit: 4)
        let cursor = try XCTUnwrap(try fixture.page(query).nextCursor)
        func error(_ text: String, seal: ListCursorSeal = CustomerFixture.seal) -> CustomerListError? {
            var asked = query
            asked.cursor = text
            do {
                _ = try fixture.store.read { try CustomerListView.page(asked, seal: seal, in: $0) }
                return nil
            } catch let error as CustomerListError {
                return error
            } catch {
                XCTFail("\(error)")
                return nil
            }
        }
        XCTAssertNil(error(cursor))
        // Another row, same options: the anchor's last byte changed, the MAC no longer matches.
        var altered = try Self.bytes(ofCursor: cursor)
        altered[15] ^= 1
        XCTAssertEqual(error(Self.text(ofCursor: altered))?.code, .forgedCursor)
        // The same bytes from another store (another key).
        let foreign = TokenCodec(key: TokenKey.generate()).listCursorSeal
        let refused = error(cursor, seal: foreign)
        XCTAssertEqual(refused?.code, .forgedCursor)
        XCTAssertTrue(refused?.message.contains("not made by this store") == true, "\(String(describing: refused))")
    }

    /// The row is found again by its sequence and its place in the order derived from it, so paging is the same
    /// as before for every sort (and stays stable while others write: see `CustomerListTests`).
    func testPagingThroughSealedCursorsMatchesTheOracle() throws {
        let fixture = try CustomerListTests.populated(count: 40, seed: 9)
        let oracle = try ListOracle(store: fixture.store)
        for sort in CustomerListSort.allCases {
            let query = CustomerListQuery(status: .unverified, sort: sort, descending: true, limit: 6)
            XCTAssertEqual(try fixture.allPages(query).rows.map(\.creationSequence), oracle.matches(query).map(\.creationSequence), "\(sort)")
        }
    }
}
