import CustomerAggregate
import Foundation
import XCTest

final class CreateCustomerTests: XCTestCase {
    func testCreateRecordsTheCustomerAndRequestsAVerificationEmail() {
        given([], when: Fixture.create(), then: [
            .created(CustomerCreated(
                customerId: Fixture.customerId, reference: Fixture.reference, profile: Fixture.profile,
                createdAt: Fixture.now, origin: .backOffice
            )),
            .verificationRequested(VerificationRequested(
                tokenId: Fixture.verificationTokenId, expiresAt: Fixture.now + 7 * Fixture.day, reason: .signUp
            )),
        ])
    }

    func testWithThePasswordFlagTwoEmailsAreQueued() {
        given([], when: Fixture.create(sendPasswordToken: true), then: Fixture.signedUp + [
            .passwordTokenIssued(PasswordTokenIssued(
                tokenId: Fixture.passwordTokenId, expiresAt: Fixture.now + 2 * Fixture.hour
            )),
        ])
    }

    func testTokenLifetimesComeFromTheSettings() {
        let settings = StoreSettings(verificationTokenTTL: 90, passwordTokenTTL: 15 * 60)
        given([], when: Fixture.create(sendPasswordToken: true), context: Fixture.context(settings: settings), then: [
            Fixture.created,
            .verificationRequested(VerificationRequested(
                tokenId: Fixture.verificationTokenId, expiresAt: Fixture.now + 90, reason: .signUp
            )),
            .passwordTokenIssued(PasswordTokenIssued(tokenId: Fixture.passwordTokenId, expiresAt: Fixture.now + 900)),
        ])
    }

    func testTheNewCustomerIsUnverified() throws {
        let events = try CustomerDecider.decide(
            Fixture.create(), state: CustomerDecider.initialState, context: Fixture.context()
        )
        let state = CustomerDecider.replay(events)
        XCTAssertTrue(state.exists)
        XCTAssertEqual(state.status, .unverified)
        XCTAssertEqual(state.reference?.description, "DE--3")
        XCTAssertEqual(state.profile, Fixture.profile)
        XCTAssertEqual(state.createdAt, Fixture.now)
        XCTAssertNil(state.verifiedAt)
        XCTAssertEqual(state.verificationToken, IssuedToken(id: Fixture.verificationTokenId, expiresAt: Fixture.now + 7 * Fixture.day))
        XCTAssertNil(state.passwordToken)
    }

    func testInvalidInputIsRefusedWithEveryProblem() {
        let form = CustomerForm(email: "", salutation: "", firstName: "", lastName: "")
        let error = given([], when: Fixture.create(form: form), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), ["email", "salutation", "first-name", "last-name"])
    }

    func testUsedEmailIsRefused() {
        let error = given([], when: Fixture.create(emailAlreadyUsed: true), thenError: .emailAlreadyUsed)
        XCTAssertEqual(error?.problems, [Problem(field: "email", message: "Email is already used", rule: .alreadyUsed)])
    }

    func testDateOfBirthIsJudgedAgainstTheDecisionDay() {
        var form = Fixture.form
        form.dateOfBirth = "2025-11-30"
        given([], when: Fixture.create(form: form), thenError: .validationFailed)
        given([], when: Fixture.create(form: form), context: Fixture.context(Fixture.now + Fixture.day), then: [
            .created(CustomerCreated(
                customerId: Fixture.customerId, reference: Fixture.reference,
                profile: { var p = Fixture.profile; p.dateOfBirth = CalendarDate(year: 2025, month: 11, day: 30); return p }(),
                createdAt: Fixture.now + Fixture.day, origin: .backOffice
            )),
            .verificationRequested(VerificationRequested(
                tokenId: Fixture.verificationTokenId, expiresAt: Fixture.now + 8 * Fixture.day, reason: .signUp
            )),
        ])
    }

    func testCreatingAnExistingCustomerIsRefused() {
        let error = given(Fixture.signedUp, when: Fixture.create(), thenError: .customerAlreadyExists)
        XCTAssertEqual(error?.message, "Customer DE--3 already exists")
    }

    func testPasswordFlagWithoutTokenIdIsACallerError() {
        let command = CustomerCommand.create(CreateCustomer(
            customerId: Fixture.customerId, reference: Fixture.reference, form: Fixture.form, sendPasswordToken: true,
            emailAlreadyUsed: false, verificationTokenId: Fixture.verificationTokenId, passwordTokenId: nil
        ))
        given([], when: command, thenError: .invalidCommand)
    }
}
