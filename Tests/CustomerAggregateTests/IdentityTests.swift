import CustomerAggregate
import Foundation
import XCTest

final class CustomerIDTests: XCTestCase {
    func testStreamNameIsPrefixedLowercasedUUIDAndParsesBack() throws {
        let uuid = try XCTUnwrap(UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"))
        let id = CustomerID(uuid)
        XCTAssertEqual(id.streamName, "customer-e621e1f8-c36c-495a-93fc-0c247a3e6e5f")
        XCTAssertEqual(CustomerID(streamName: id.streamName), id)
        XCTAssertEqual(CustomerID(streamName: "customer-E621E1F8-C36C-495A-93FC-0C247A3E6E5F"), id)
    }

    func testOtherStreamNamesAreNotCustomers() {
        XCTAssertNil(CustomerID(streamName: "settings"))
        XCTAssertNil(CustomerID(streamName: "customer-"))
        XCTAssertNil(CustomerID(streamName: "customer-not-a-uuid"))
        XCTAssertNil(CustomerID(streamName: "outbox-e621e1f8-c36c-495a-93fc-0c247a3e6e5f"))
        XCTAssertNil(CustomerID(streamName: "customer-e621e1f8-c36c-495a-93fc-0c247a3e6e5f-x"))
    }
}

final class CustomerReferenceTests: XCTestCase {
    func testDescriptionIsPrefixDashDashNumber() {
        XCTAssertEqual(CustomerReference(prefix: "DE", number: 12).description, "DE--12")
        XCTAssertEqual(CustomerReference(prefix: "shop_2", number: 1).description, "SHOP_2--1")
    }

    func testParsesCaseInsensitivelyAndIgnoresSurroundingSpace() {
        XCTAssertEqual(CustomerReference.parse("DE--12"), CustomerReference(prefix: "DE", number: 12))
        XCTAssertEqual(CustomerReference.parse("de--12"), CustomerReference(prefix: "DE", number: 12))
        XCTAssertEqual(CustomerReference.parse("  De--7\n"), CustomerReference(prefix: "DE", number: 7))
        XCTAssertEqual(CustomerReference.parse("DE--007"), CustomerReference(prefix: "DE", number: 7))
        XCTAssertEqual(CustomerReference.parse("AT_B2B--18446744073709551615")?.number, UInt64.max)
    }

    func testRejectsAnythingElse() {
        for text in [
            "", "DE", "DE-12", "DE--", "--12", "DE--0", "DE--12x", "DE---12", "DE--+12", "DE-- 12", "D E--1",
            "maria@example.com", "DE--18446744073709551616", "ABCDEFGHIJKLMNOPQRSTU--1", "DÉ--1", "DE--١٢",
        ] {
            XCTAssertNil(CustomerReference.parse(text), text)
        }
    }

    func testOrdersNumericallyWithinAPrefix() {
        let refs = ["DE--10", "DE--2", "AT--5"].compactMap(CustomerReference.parse)
        XCTAssertEqual(refs.sorted().map(\.description), ["AT--5", "DE--2", "DE--10"])
    }

    func testPrefixRuleMatchesTheSetting() {
        XCTAssertTrue(CustomerReference.isValidPrefix("DE"))
        XCTAssertTrue(CustomerReference.isValidPrefix(String(repeating: "A", count: 20)))
        XCTAssertFalse(CustomerReference.isValidPrefix(String(repeating: "A", count: 21)))
        XCTAssertFalse(CustomerReference.isValidPrefix(""))
        XCTAssertFalse(CustomerReference.isValidPrefix("D-E"))
    }
}
