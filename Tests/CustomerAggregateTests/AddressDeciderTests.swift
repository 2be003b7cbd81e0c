import CustomerAggregate
import Foundation
import XCTest

/// `address add/edit/remove`: every rule of the form, ids, defaults.
final class AddressDeciderTests: XCTestCase {
    static let form: [AddressField: String] = [
        .salutation: "ms", .firstName: " Maria ", .lastName: "Williams", .address1: "Hauptstraße 1", .city: "Berlin",
        .zipCode: "10115", .country: "de",
    ]
    static let stored = PostalAddress([
        .salutation: "Ms", .firstName: "Maria", .lastName: "Williams", .address1: "Hauptstraße 1", .city: "Berlin",
        .zipCode: "10115", .country: "DE",
    ])

    private func added(_ number: UInt32, _ address: PostalAddress = stored, billing: Bool = false, shipping: Bool = false) -> CustomerEvent {
        .address(.added(AddressAdded(addressId: AddressID(number: number), address: address, defaultBilling: billing, defaultShipping: shipping)))
    }

    private func edited(_ number: UInt32, _ changes: [AddressFieldChange], billing: Bool? = nil, shipping: Bool? = nil) -> [CustomerEvent] {
        [.address(.edited(AddressEdited(addressId: AddressID(number: number), changes: changes, defaultBilling: billing, defaultShipping: shipping)))]
    }

    private func removed(_ number: UInt32) -> CustomerEvent {
        .address(.removed(AddressRemoved(addressId: AddressID(number: number))))
    }

    func testAnAddressIsStoredTrimmedInCanonicalSpellingWithTheNextId() {
        given(Fixture.signedUp, when: .addAddress(AddAddress(values: Self.form, defaultBilling: true)),
              then: [added(1, billing: true)])
        given(Fixture.signedUp + [added(1), added(2), removed(2)], when: .addAddress(AddAddress(values: Self.form)),
              then: [added(3)])  // A2 was removed: its id is never given again
    }

    func testEveryOptionalFieldIsKeptAndBlankMeansAbsent() {
        var form = Self.form
        form[.company] = "ACME"; form[.address2] = "Hinterhaus"; form[.address3] = " "; form[.phone] = "+49 30 1"
        form[.comment] = "Ring twice"
        var expected = Self.stored
        expected[.company] = "ACME"; expected[.address2] = "Hinterhaus"; expected[.phone] = "+49 30 1"; expected[.comment] = "Ring twice"
        given(Fixture.signedUp, when: .addAddress(AddAddress(values: form)), then: [added(1, expected)])
    }

    func testEveryRequiredFieldIsReportedAtOnce() {
        let error = given(Fixture.signedUp, when: .addAddress(AddAddress(values: [.address2: "x"])), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), ["salutation", "first-name", "last-name", "address1", "city", "zip-code", "country"])
        XCTAssertEqual(error?.problems.map(\.message), [
            "Salutation is required", "First name is required", "Last name is required", "Address line 1 is required",
            "City is required", "Zip code is required", "Country is required",
        ])
    }

    func testEveryRuleOfTheFormAtOnce() {
        let long = String(repeating: "x", count: 256)
        let error = given(Fixture.signedUp, when: .addAddress(AddAddress(values: [
            .salutation: "Sir", .firstName: "A<b>", .lastName: String(repeating: "y", count: 101), .company: String(repeating: "c", count: 101),
            .address1: long, .address2: long, .address3: "line\nbreak", .city: long, .zipCode: "1234567890123456",
            .country: "XX", .phone: "call me", .comment: long,
        ])), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), [
            "salutation", "first-name", "last-name", "company", "address1", "address2", "address3", "city", "zip-code",
            "country", "phone", "phone", "comment",
        ])
        let messages = error?.problems.map(\.message) ?? []
        XCTAssertTrue(messages.contains("Address line 1 must be at most 255 characters"), "\(messages)")
        XCTAssertTrue(messages.contains("Zip code must be at most 15 characters"), "\(messages)")
        XCTAssertTrue(messages.contains("Comment must be at most 255 characters"), "\(messages)")
        XCTAssertTrue(messages.contains("Address line 3 must not contain control characters (such as line breaks or tabs)"), "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("Country must be an ISO 3166-1 alpha-2 code") }, "\(messages)")
    }

    func testTheLimitsThemselvesAreAccepted() {
        var form = Self.form
        form[.address1] = String(repeating: "a", count: 255); form[.zipCode] = "123456789012345"
        form[.comment] = String(repeating: "c", count: 255); form[.firstName] = String(repeating: "f", count: 100)
        XCTAssertNoThrow(try CustomerDecider.decide(.addAddress(AddAddress(values: form)), state: CustomerDecider.replay(Fixture.signedUp), context: Fixture.context()))
    }

    func testCountriesComeFromTheShippedISOList() {
        XCTAssertEqual(CountryCodes.all.count, 249)
        for code in ["DE", "AT", "CH", "US", "GB", "FR", "JP", "AX", "SS"] { XCTAssertTrue(CountryCodes.all.contains(code), code) }
        for code in ["UK", "EU", "XK", "D", "DEU"] { XCTAssertFalse(CountryCodes.all.contains(code), code) }
        var form = Self.form
        form[.country] = "at"
        var expected = Self.stored
        expected[.country] = "AT"
        given(Fixture.signedUp, when: .addAddress(AddAddress(values: form)), then: [added(1, expected)])
        form[.country] = "UK"
        let error = given(Fixture.signedUp, when: .addAddress(AddAddress(values: form)), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), ["country"])
    }

    func testAnAddressNeedsAnExistingCustomer() {
        given([], when: .addAddress(AddAddress(values: Self.form)), thenError: .customerNotFound)
        given([], when: .removeAddress(addressId: "A1"), thenError: .customerNotFound)
    }

    func testAnEditCarriesExactlyTheChangedFieldsAndClearsOptionalOnes() {
        var withCompany = Self.stored
        withCompany[.company] = "ACME"
        given(Fixture.signedUp + [added(1, withCompany)],
              when: .editAddress(EditAddress(addressId: "a1", values: [.city: " München ", .company: "", .zipCode: "10115", .address2: ""])),
              then: edited(1, [AddressFieldChange(.company, nil), AddressFieldChange(.city, "München")]))
    }

    func testAnEditThatChangesNothingDecidesNothing() {
        given(Fixture.signedUp + [added(1, billing: true)],
              when: .editAddress(EditAddress(addressId: "A1", values: [.salutation: "MS", .country: "de", .phone: ""], defaultBilling: true, defaultShipping: false)),
              then: [])
        given(Fixture.signedUp + [added(1)], when: .editAddress(EditAddress(addressId: "A1", values: [:])), then: [])
    }

    func testAnEditChecksOnlyTheGivenFieldsAndRefusesClearingRequiredOnes() {
        let error = given(Fixture.signedUp + [added(1)],
                          when: .editAddress(EditAddress(addressId: "A1", values: [.city: "", .zipCode: String(repeating: "9", count: 16), .country: "ZZ"])),
                          thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), ["city", "zip-code", "country"])
        XCTAssertEqual(error?.problems.first?.message, "City is required")
    }

    func testAnUnknownRemovedOrMalformedAddressIdIsRefusedNamingTheLiveOnes() {
        let history = Fixture.signedUp + [added(1), added(2), removed(1)]
        for id in ["A1", "A3", "B2", "A02", "A", "2", ""] {
            let error = given(history, when: .editAddress(EditAddress(addressId: id, values: [.city: "Kiel"])), thenError: .addressNotFound)
            XCTAssertTrue(error?.message.contains("the customer's addresses are A2") == true, "\(String(describing: error))")
            XCTAssertEqual(error?.problems.map(\.field), ["address-id"])
        }
        given(history, when: .removeAddress(addressId: "A1"), thenError: .addressNotFound)
        let none = given(Fixture.signedUp, when: .removeAddress(addressId: "A1"), thenError: .addressNotFound)
        XCTAssertTrue(none?.message.contains("the customer has no address") == true, "\(String(describing: none))")
    }

    func testADefaultMovesToTheAddressThatTakesIt() {
        let history = Fixture.signedUp + [added(1, billing: true, shipping: true), added(2)]
        given(history, when: .editAddress(EditAddress(addressId: "A2", values: [:], defaultBilling: true)), then: edited(2, [], billing: true))
        let moved = CustomerDecider.replay(history + edited(2, [], billing: true))
        XCTAssertEqual(moved.addressBook.defaultBilling, AddressID(number: 2))
        XCTAssertEqual(moved.addressBook.defaultShipping, AddressID(number: 1))
        // A new address taking a default moves it too.
        let third = CustomerDecider.replay(history + [added(3, shipping: true)])
        XCTAssertEqual(third.addressBook.defaultShipping, AddressID(number: 3))
        XCTAssertEqual(third.addressBook.defaultBilling, AddressID(number: 1))
    }

    func testGivingUpADefaultOnlyWhenTheAddressHasIt() {
        let history = Fixture.signedUp + [added(1, billing: true), added(2)]
        given(history, when: .editAddress(EditAddress(addressId: "A1", values: [:], defaultBilling: false)), then: edited(1, [], billing: false))
        given(history, when: .editAddress(EditAddress(addressId: "A2", values: [:], defaultBilling: false)), then: [])
        XCTAssertNil(CustomerDecider.replay(history + edited(1, [], billing: false)).addressBook.defaultBilling)
    }

    func testRemovingADefaultAddressClearsThatDefault() {
        let history = Fixture.signedUp + [added(1, billing: true), added(2, shipping: true)]
        given(history, when: .removeAddress(addressId: "A1"), then: [removed(1)])
        let state = CustomerDecider.replay(history + [removed(1)])
        XCTAssertNil(state.addressBook.defaultBilling)
        XCTAssertEqual(state.addressBook.defaultShipping, AddressID(number: 2))
        XCTAssertEqual(state.addressBook.addresses.map(\.id), [AddressID(number: 2)])
        XCTAssertEqual(state.addressBook.nextID, AddressID(number: 3))
    }

    func testEvolveAppliesEditsAndIgnoresEventsForUnknownAddressesOrCustomers() {
        let state = CustomerDecider.replay(Fixture.signedUp + [added(1)] + edited(1, [AddressFieldChange(.city, "Kiel"), AddressFieldChange(.comment, "Back")]))
        XCTAssertEqual(state.addressBook.address(AddressID(number: 1))?.address[.city], "Kiel")
        XCTAssertEqual(state.addressBook.address(AddressID(number: 1))?.address[.comment], "Back")
        let ignored = CustomerDecider.replay(Fixture.signedUp + edited(5, [AddressFieldChange(.city, "Kiel")]) + [removed(7)])
        XCTAssertEqual(ignored.addressBook, AddressBook())
        XCTAssertEqual(CustomerDecider.replay([added(1)]), CustomerDecider.initialState)
    }

    func testTheAddressFieldListIsTheOneDescription() {
        XCTAssertEqual(Set(AddressField.allCases.map(\.wireCode)).count, AddressField.allCases.count, "wire codes are unique")
        XCTAssertEqual(Set(AddressField.allCases.map(\.jsonName)).count, AddressField.allCases.count)
        for field in AddressField.allCases { XCTAssertEqual(AddressField(wireCode: field.wireCode), field) }
        XCTAssertEqual(AddressField.allCases.filter(\.isRequired).map(\.rawValue),
                       ["salutation", "first-name", "last-name", "address1", "city", "zip-code", "country"])
    }

    func testPresentationListsEveryFieldAndTheDefaults() {
        let state = CustomerDecider.replay(Fixture.signedUp + [added(1, billing: true)])
        let shown = state.addressBook.shownAddresses
        XCTAssertEqual(shown.first?.map(\.name), ["id"] + AddressField.allCases.map(\.jsonName) + ["defaultBilling", "defaultShipping"])
        XCTAssertEqual(shown.first?.first?.value, .string("A1"))
        XCTAssertEqual(shown.first?.last?.value, .bool(false))
        XCTAssertEqual(CustomerEvent.address(.edited(AddressEdited(addressId: AddressID(number: 1), changes: [AddressFieldChange(.city, "Kiel")], defaultShipping: true))).summary,
                       "Address A1 edited: city, now default shipping")
        XCTAssertEqual(added(1, billing: true).summary, "Address A1 added: Maria Williams, Hauptstraße 1, 10115 Berlin, DE (default billing)")
    }
}
