import CustomerAggregate
import Foundation
import XCTest

/// `forget`: who can be erased, the reason's rules, what erasure leaves of the state, and what the log keeps of
/// every event (`withoutPersonalData`).
final class ForgetDeciderTests: XCTestCase {
    private let forgotten = CustomerEvent.forgotten(CustomerForgotten(forgottenAt: Fixture.now, reason: "customer asked"))

    func testAnExistingCustomerIsForgottenWithTheTrimmedReason() {
        given(Fixture.signedUp, when: .forget(reason: "  customer asked \n"), then: [forgotten])
        given(Fixture.signedUp + [Fixture.verified()], when: .forget(reason: "customer asked"), then: [forgotten])
    }

    func testUnknownAndAlreadyErasedCustomersAreRefused() {
        given([], when: .forget(reason: "asked"), thenError: .customerNotFound)
        let error = given(Fixture.signedUp + [forgotten], when: .forget(reason: "again"), thenError: .customerErased)
        XCTAssertTrue(error?.message.contains("was erased") ?? false)
    }

    func testTheReasonIsRequiredBoundedAndPrintable() {
        for (reason, message) in [
            ("", "Reason is required: say why the customer's data is erased"),
            ("   ", "Reason is required: say why the customer's data is erased"),
            (String(repeating: "x", count: 501), "Reason must have at most 500 characters"),
            ("asked\u{7}", "Reason must not contain control characters"),
        ] {
            let error = given(Fixture.signedUp, when: .forget(reason: reason), thenError: .validationFailed)
            XCTAssertEqual(error?.problems.map(\.field), ["reason"])
            XCTAssertEqual(error?.problems.map(\.message), [message])
        }
        given(Fixture.signedUp, when: .forget(reason: String(repeating: "x", count: 500)),
              then: [.forgotten(CustomerForgotten(forgottenAt: Fixture.now, reason: String(repeating: "x", count: 500)))])
    }

    func testAfterErasureTheStateIsBlankAndEveryCommandIsRefused() {
        let state = CustomerDecider.replay(Fixture.signedUp + [forgotten])
        XCTAssertEqual(state.erasedAt, Fixture.now)
        XCTAssertTrue(state.personalDataErased)
        XCTAssertEqual(state.profile, Fixture.profile.withoutPersonalData)
        XCTAssertEqual(state.reference, Fixture.reference)
        XCTAssertNil(state.verificationToken)
        for command: CustomerCommand in [
            .edit(EditCustomer(firstName: "X")), .sendPasswordToken(tokenId: Fixture.passwordTokenId),
            .resendVerification(tokenId: Fixture.secondVerificationTokenId), .verifyEmail(tokenId: Fixture.verificationTokenId),
            .addNote(AddNote(message: "hello", author: "a")),
        ] {
            given(Fixture.signedUp + [forgotten], when: command, thenError: .customerErased)
        }
    }

    /// What the log keeps: every personal field blank, the rest as it was; events without personal data are
    /// not sealed at all.
    func testThePublicPartOfEveryEventHasNoPersonalValue() throws {
        guard case .created(let created)? = Fixture.created.withoutPersonalData else { return XCTFail("created carries personal data") }
        XCTAssertEqual(created.profile.email, "")
        XCTAssertEqual(created.profile.firstName, "")
        XCTAssertEqual(created.profile.lastName, "")
        XCTAssertNil(created.profile.phone)
        XCTAssertNil(created.profile.company)
        XCTAssertNil(created.profile.dateOfBirth)
        XCTAssertNil(created.profile.gender)
        XCTAssertEqual(created.reference, Fixture.reference)
        XCTAssertEqual(created.profile.locale, Fixture.profile.locale)

        let edited = CustomerEvent.edited(CustomerEdited(changes: [.lastName("Smyth"), .phone("+49 30"), .company(nil), .locale("de_DE")]))
        XCTAssertEqual(edited.withoutPersonalData, .edited(CustomerEdited(changes: [.lastName(""), .phone(nil), .company(nil), .locale("de_DE")])))

        let address = CustomerEvent.address(.added(AddressAdded(
            addressId: AddressID(number: 1), address: PostalAddress([.city: "Kiel", .address1: "Weg 2"]))))
        XCTAssertEqual(address.withoutPersonalData, .address(.added(AddressAdded(
            addressId: AddressID(number: 1), address: PostalAddress([.city: "", .address1: ""])))))
        let note = CustomerEvent.note(.added(NoteAdded(noteId: NoteID(number: 1), message: "secret", author: "alice", addedAt: Fixture.now)))
        XCTAssertEqual(note.withoutPersonalData, .note(.added(NoteAdded(noteId: NoteID(number: 1), message: "", author: "alice", addedAt: Fixture.now))))
        let changed = CustomerEvent.emailChanged(EmailChanged(previousEmail: "a@x.de", email: "b@x.de", reason: "typo a@x.de"))
        XCTAssertEqual(changed.withoutPersonalData, .emailChanged(EmailChanged(previousEmail: "", email: "", reason: "")))

        for event in [Fixture.verificationRequested, Fixture.passwordTokenIssued, Fixture.verified(), forgotten] {
            XCTAssertNil(event.withoutPersonalData, "\(event)")
        }
        // The public payload decodes (erased events must stay readable), and differs from the whole one.
        for event in [Fixture.created, edited, address, note, changed] {
            let publicPayload = try XCTUnwrap(event.encodePublicPayload())
            XCTAssertNotEqual(publicPayload, event.encodePayload())
            XCTAssertNoThrow(try CustomerEvent.decode(typeName: event.typeName, schemaVersion: event.schemaVersion, bytes: publicPayload))
        }
    }
}
