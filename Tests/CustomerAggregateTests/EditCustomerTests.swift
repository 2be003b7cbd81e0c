import CustomerAggregate
import Foundation
import XCTest

final class EditCustomerTests: XCTestCase {
    private func edited(_ changes: ProfileChange...) -> [CustomerEvent] {
        [.edited(CustomerEdited(changes: changes))]
    }

    func testOnlyTheChangedFieldsAreInTheEvent() {
        given(Fixture.signedUp, when: .edit(EditCustomer(firstName: "Maria", lastName: " Smyth ", phone: "+49 30 123")),
              then: edited(.lastName("Smyth"), .phone("+49 30 123")))
    }

    func testEveryFieldCanBeSetWithTheCreateFormsSpelling() {
        let settings = StoreSettings.replay([SettingChanged(key: .locales, value: "en_US,de_DE")])
        given(Fixture.signedUp, when: .edit(EditCustomer(
            salutation: "dr", firstName: "Zoë", lastName: "Ørsted", gender: "female", dateOfBirth: "1984-02-29",
            phone: "030 123", company: "ACME", locale: "DE_de")),
              context: Fixture.context(settings: settings),
              then: edited(.salutation(.dr), .firstName("Zoë"), .lastName("Ørsted"), .gender(.female),
                           .dateOfBirth(CalendarDate(year: 1984, month: 2, day: 29)), .phone("030 123"),
                           .company("ACME"), .locale("de_DE")))
    }

    func testAnEmptyValueClearsAnOptionalField() {
        let withExtras = Fixture.signedUp + edited(.gender(.male), .phone("030 123"), .company("ACME"),
                                                   .dateOfBirth(CalendarDate(year: 1990, month: 1, day: 2)))
        given(withExtras, when: .edit(EditCustomer(gender: "", dateOfBirth: " ", phone: "", company: "")),
              then: edited(.gender(nil), .dateOfBirth(nil), .phone(nil), .company(nil)))
    }

    func testClearingARequiredFieldIsRefusedWithEveryProblemAtOnce() {
        let error = given(Fixture.signedUp, when: .edit(EditCustomer(
            salutation: "", firstName: "", lastName: " ", locale: "")), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), ["salutation", "first-name", "last-name", "locale"])
        XCTAssertEqual(error?.problems.map(\.message), [
            "Salutation is required", "First name is required", "Last name is required", "Locale is required",
        ])
    }

    func testTheCreateRulesApplyToEveryGivenField() {
        let error = given(Fixture.signedUp, when: .edit(EditCustomer(
            salutation: "Sir", firstName: "A<b>", lastName: String(repeating: "x", count: 101), gender: "other",
            dateOfBirth: "2099-01-01", phone: "call me", company: "Line\nbreak", locale: "fr_FR")),
            thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), [
            "salutation", "first-name", "last-name", "gender", "date-of-birth", "phone", "phone", "company", "locale",
        ])
        XCTAssertTrue(error?.message.contains("Date of birth must not be in the future") == true, "\(String(describing: error))")
    }

    func testAnEditThatChangesNothingDecidesNothing() {
        given(Fixture.signedUp, when: .edit(EditCustomer(salutation: "ms", firstName: "Maria ", locale: "en_us")), then: [])
        given(Fixture.signedUp, when: .edit(EditCustomer()), then: [])
        given(Fixture.signedUp, when: .edit(EditCustomer(phone: "")), then: [])
    }

    func testAnUnknownCustomerIsRefused() {
        given([], when: .edit(EditCustomer(lastName: "Smyth")), thenError: .customerNotFound)
    }

    /// An untouched field that today's rules would refuse (a locale the store has dropped) does not block an edit.
    func testOnlyTheGivenFieldsAreChecked() {
        let german = Fixture.signedUp + edited(.locale("de_DE"))
        given(german, when: .edit(EditCustomer(lastName: "Smyth")), then: edited(.lastName("Smyth")))
    }

    func testEvolveAppliesTheChangesAndKeepsTheRest() {
        let state = CustomerDecider.replay(Fixture.signedUp + edited(.lastName("Smyth"), .company("ACME")) + edited(.company(nil)))
        XCTAssertEqual(state.profile?.lastName, "Smyth")
        XCTAssertEqual(state.profile?.firstName, "Maria")
        XCTAssertEqual(state.profile?.email, "maria@example.com")
        XCTAssertNil(state.profile?.company)
        XCTAssertEqual(state.status, .unverified)
    }

    func testTheReadableFormNamesExactlyTheChangedFields() {
        let event = CustomerEvent.edited(CustomerEdited(changes: [.lastName("Smyth"), .phone(nil)]))
        XCTAssertEqual(event.fields, [EventField("lastName", .string("Smyth")), EventField("phone", .null)])
        XCTAssertEqual(event.summary, "Customer edited: last name, phone")
        XCTAssertNil(event.resultingStatus)
    }
}
