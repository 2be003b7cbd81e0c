import CustomerAggregate
import Foundation
import XCTest

final class ImportCustomerTests: XCTestCase {
    private let registered = CalendarDate(year: 2020, month: 6, day: 24)!
    private let registeredAt = Date(timeIntervalSince1970: 1_592_956_800) // 2020-06-24T00:00:00Z

    private func created(at instant: Date) -> CustomerEvent {
        .created(CustomerCreated(
            customerId: Fixture.customerId, reference: Fixture.reference, profile: Fixture.profile,
            createdAt: instant, origin: .import
        ))
    }

    func testARegisteredRowIsCreatedAndVerifiedAtMidnightUTCOfThatDay() {
        given([], when: Fixture.importRow(registeredOn: registered), then: [
            created(at: registeredAt),
            .emailVerified(EmailVerified(verifiedAt: registeredAt, tokenId: nil)),
        ])
    }

    func testARegisteredRowNeverGetsAVerificationEmail() {
        given([], when: Fixture.importRow(registeredOn: registered, verificationTokenId: Fixture.verificationTokenId), then: [
            created(at: registeredAt),
            .emailVerified(EmailVerified(verifiedAt: registeredAt, tokenId: nil)),
        ])
        let state = CustomerDecider.replay([created(at: registeredAt), .emailVerified(EmailVerified(verifiedAt: registeredAt, tokenId: nil))])
        XCTAssertEqual(state.status, .verified)
        XCTAssertEqual(state.verifiedAt, registeredAt)
        XCTAssertEqual(state.origin, .import)
    }

    func testAnUnregisteredRowIsUnverifiedAndQueuesNoEmail() {
        given([], when: Fixture.importRow(), then: [created(at: Fixture.now)])
    }

    func testAnUnregisteredRowWithATokenRequestsAVerificationEmail() {
        given([], when: Fixture.importRow(verificationTokenId: Fixture.verificationTokenId), then: [
            created(at: Fixture.now),
            .verificationRequested(VerificationRequested(
                tokenId: Fixture.verificationTokenId, expiresAt: Fixture.now + 7 * Fixture.day, reason: .import
            )),
        ])
    }

    func testImportAppliesTheSameValidation() {
        let form = CustomerForm(email: "bad", salutation: "Mr", firstName: "A", lastName: "B", locale: "fr_FR")
        let error = given([], when: Fixture.importRow(form: form), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), ["email", "locale"])
        given([], when: Fixture.importRow(emailAlreadyUsed: true), thenError: .emailAlreadyUsed)
    }

    func testARegistrationDayInTheFutureIsRefused() {
        let tomorrow = CalendarDate(year: 2025, month: 11, day: 30)
        let error = given([], when: Fixture.importRow(registeredOn: tomorrow), thenError: .validationFailed)
        XCTAssertEqual(error?.problems, [Problem(field: "registered", message: "Registered date must not be in the future", rule: .inFuture)])
        given([], when: Fixture.importRow(registeredOn: Fixture.today), then: [
            created(at: Fixture.today.midnightUTC),
            .emailVerified(EmailVerified(verifiedAt: Fixture.today.midnightUTC, tokenId: nil)),
        ])
    }

    func testAFutureRegistrationIsReportedAlongsideFormProblems() {
        let form = CustomerForm(email: "", salutation: "Mr", firstName: "A", lastName: "B")
        let error = given(
            [], when: Fixture.importRow(form: form, registeredOn: CalendarDate(year: 2030, month: 1, day: 1)),
            thenError: .validationFailed
        )
        XCTAssertEqual(error?.problems.map(\.field), ["email", "registered"])
    }

    func testImportingOverAnExistingCustomerIsRefused() {
        given(Fixture.signedUp, when: Fixture.importRow(), thenError: .customerAlreadyExists)
    }
}
