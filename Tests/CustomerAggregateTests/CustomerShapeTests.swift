import CustomerAggregate
import Foundation
import XCTest

final class CustomerShapeTests: XCTestCase {
    static let profile = CustomerProfile(
        email: "ann@example.com", salutation: .dr, firstName: "Ann", lastName: "Berg", gender: .female,
        dateOfBirth: CalendarDate(year: 1990, month: 2, day: 28), phone: "+49 30 1", company: nil, locale: "de_DE")

    /// Every stored property of the profile has its field description, in declaration order: a new field that is
    /// not described fails here instead of silently missing from `show`, the JSON and `history`.
    func testEveryProfilePropertyIsDescribedOnce() {
        let properties = Mirror(reflecting: Self.profile).children.compactMap(\.label)
        XCTAssertEqual(CustomerField.profileFields.map(\.jsonName), properties)
    }

    func testTheShownValuesOfAStateFollowTheDescription() {
        let state = CustomerState(
            customerId: CustomerID(UUID()), reference: CustomerReference(prefix: "DE", number: 3), profile: Self.profile,
            status: .verified, createdAt: Date(timeIntervalSince1970: 0), verifiedAt: nil)
        let values = state.shownValues
        XCTAssertEqual(values.map(\.name), ["reference"] + CustomerField.profileFields.map(\.jsonName) + ["status", "createdAt", "verifiedAt", "pendingEmail"])
        XCTAssertEqual(values.map(\.label).prefix(4), ["Reference", "Email", "Salutation", "First name"])
        XCTAssertEqual(values.first { $0.name == "company" }?.text, "—")
        XCTAssertNil(values.first { $0.name == "company" }?.optionalText)
        XCTAssertEqual(values.first { $0.name == "dateOfBirth" }?.text, "1990-02-28")
        XCTAssertEqual(values.first { $0.name == "createdAt" }?.text, "1970-01-01T00:00:00Z")
        XCTAssertNil(CustomerDecider.initialState.shownValues.first { $0.name == "status" }?.optionalText)
        XCTAssertNil(values.first { $0.name == "pendingEmail" }?.optionalText, "no change asked for")
    }
}
