import CustomerAggregate
import Foundation
import XCTest

/// `change-email` and its confirmation, over the pure decider: given these events, when this command, then these
/// events or this error.
final class ChangeEmailTests: XCTestCase {
    private let changeTokenId = Fixture.uuid(0x30)
    private let secondChangeTokenId = Fixture.uuid(0x31)

    private func change(
        _ email: String, withoutVerification: Bool = false, reason: String? = nil, alreadyUsed: Bool = false,
        tokenId: UUID? = nil
    ) -> CustomerCommand {
        .changeEmail(ChangeEmail(
            email: email, withoutVerification: withoutVerification, reason: reason, emailAlreadyUsed: alreadyUsed,
            tokenId: tokenId ?? changeTokenId))
    }

    private func confirm(_ tokenId: UUID? = nil, takenByAnother: Bool = false) -> CustomerCommand {
        .confirmEmailChange(ConfirmEmailChange(tokenId: tokenId ?? changeTokenId, emailTakenByAnother: takenByAnother))
    }

    private func requested(_ email: String, tokenId: UUID? = nil, at instant: Date = Fixture.now) -> CustomerEvent {
        .emailChangeRequested(EmailChangeRequested(email: email, tokenId: tokenId ?? changeTokenId, expiresAt: instant + 7 * Fixture.day))
    }

    private var verifiedCustomer: [CustomerEvent] { Fixture.signedUp + [Fixture.verified()] }

    // MARK: Asking for a change

    func testAChangeWaitsForTheNewInboxAndKeepsTheOldAddress() {
        given(verifiedCustomer, when: change(" New@Example.com "), then: [requested("New@Example.com")])
        let state = CustomerDecider.replay(verifiedCustomer + [requested("New@Example.com")])
        XCTAssertEqual(state.profile?.email, "maria@example.com", "the old address stays until confirmed")
        XCTAssertEqual(state.requestedEmail, "New@Example.com")
        XCTAssertEqual(state.pendingEmail(at: Fixture.now + Fixture.day), "New@Example.com")
        XCTAssertNil(state.pendingEmail(at: Fixture.now + 7 * Fixture.day), "it expires with its link")
        XCTAssertEqual(state.status, .verified)
    }

    func testTheLinkExpiresAfterTheVerificationTokenLifetime() {
        let settings = StoreSettings.replay([SettingChanged(key: .verificationTokenTTL, value: "2h")])
        given(verifiedCustomer, when: change("new@example.com"), context: Fixture.context(settings: settings), then: [
            .emailChangeRequested(EmailChangeRequested(email: "new@example.com", tokenId: changeTokenId, expiresAt: Fixture.now + 2 * Fixture.hour)),
        ])
    }

    func testTheNewAddressFollowsTheCreateRulesWithEveryProblemAtOnce() {
        for (email, message) in [
            ("", "Email is required"), ("not-an-address", "Email is not a valid address"),
            ("a@" + String(repeating: "b", count: 50) + "." + String(repeating: "c", count: 50) + ".com", "Email must be at most 100 characters"),
        ] {
            let error = given(verifiedCustomer, when: change(email), thenError: .validationFailed)
            XCTAssertEqual(error?.problems.map(\.field), ["email"], email)
            XCTAssertEqual(error?.problems.first?.message, message, email)
        }
        let error = given(verifiedCustomer, when: change("bad", withoutVerification: true), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), ["email", "reason"])
    }

    func testAnAddressUsedOrReservedByAnotherCustomerIsRefused() {
        let error = given(verifiedCustomer, when: change("taken@example.com", alreadyUsed: true), thenError: .emailAlreadyUsed)
        XCTAssertEqual(error?.problems, [Problem(field: "email", message: "Email is already used", rule: .alreadyUsed)])
        given(verifiedCustomer, when: change("taken@example.com", withoutVerification: true, reason: "fix", alreadyUsed: true),
              thenError: .emailAlreadyUsed)
    }

    func testTheSameAddressChangesNothing() {
        given(verifiedCustomer, when: change(" maria@example.com"), then: [])
        given(verifiedCustomer, when: change("maria@example.com", withoutVerification: true, reason: "again"), then: [])
    }

    func testALetterCaseFixIsMadeAtOnceOnlyWithAReason() {
        let error = given(verifiedCustomer, when: change("Maria@Example.com"), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.field), ["email"])
        XCTAssertTrue(error?.problems.first?.message.contains("only in letter case") == true, "\(String(describing: error))")
        // Without a new link even for an Unverified customer: the inbox is the same.
        given(Fixture.signedUp, when: change("Maria@Example.com", withoutVerification: true, reason: "case", alreadyUsed: true), then: [
            .emailChanged(EmailChanged(previousEmail: "maria@example.com", email: "Maria@Example.com", reason: "case")),
        ])
    }

    func testANewerChangeSupersedesTheOlderOne() {
        let history = verifiedCustomer + [requested("first@example.com")]
        given(history, when: change("second@example.com", tokenId: secondChangeTokenId),
              then: [requested("second@example.com", tokenId: secondChangeTokenId)])
        let state = CustomerDecider.replay(history + [requested("second@example.com", tokenId: secondChangeTokenId)])
        XCTAssertEqual(state.emailChangeTokenUsability(changeTokenId, at: Fixture.now), .superseded)
        XCTAssertEqual(state.requestedEmail, "second@example.com")
        let error = given(history + [requested("second@example.com", tokenId: secondChangeTokenId)], when: confirm(), thenError: .tokenSuperseded)
        XCTAssertTrue(error?.message.contains("replaced by a newer change") == true)
    }

    func testChangingAnUnknownCustomerIsRefused() {
        given([], when: change("new@example.com"), thenError: .customerNotFound)
        given([], when: confirm(), thenError: .customerNotFound)
    }

    // MARK: Without verification

    func testWithoutVerificationTheAddressChangesAtOnceWithTheReason() {
        given(verifiedCustomer, when: change("fixed@example.com", withoutVerification: true, reason: "  typo, said on the phone "), then: [
            .emailChanged(EmailChanged(previousEmail: "maria@example.com", email: "fixed@example.com", reason: "typo, said on the phone")),
        ])
        let state = CustomerDecider.replay(verifiedCustomer + [
            .emailChanged(EmailChanged(previousEmail: "maria@example.com", email: "fixed@example.com", reason: "typo")),
        ])
        XCTAssertEqual(state.profile?.email, "fixed@example.com")
        XCTAssertEqual(state.status, .verified, "a Verified customer stays Verified: the operator vouches, audited")
    }

    func testAnUnverifiedCustomerChangedAtOnceGetsANewLinkAndTheOldOneStops() {
        let events: [CustomerEvent] = [
            .emailChanged(EmailChanged(previousEmail: "maria@example.com", email: "fixed@example.com", reason: "typo")),
            .verificationRequested(VerificationRequested(tokenId: changeTokenId, expiresAt: Fixture.now + 7 * Fixture.day, reason: .emailChanged)),
        ]
        given(Fixture.signedUp, when: change("fixed@example.com", withoutVerification: true, reason: "typo"), then: events)
        let state = CustomerDecider.replay(Fixture.signedUp + events)
        XCTAssertEqual(state.status, .unverified)
        XCTAssertEqual(state.verificationTokenUsability(Fixture.verificationTokenId, at: Fixture.now), .superseded,
                       "the link mailed to the old address no longer verifies")
    }

    func testAReasonIsRequiredWithoutVerificationAndRefusedWithIt() {
        for reason in [nil, "", "   "] {
            let error = given(verifiedCustomer, when: change("fixed@example.com", withoutVerification: true, reason: reason), thenError: .validationFailed)
            XCTAssertEqual(error?.problems.map(\.field), ["reason"])
        }
        let long = given(verifiedCustomer, when: change("fixed@example.com", withoutVerification: true, reason: String(repeating: "r", count: 501)),
                         thenError: .validationFailed)
        XCTAssertTrue(long?.problems.first?.message.contains("at most 500") == true)
        let control = given(verifiedCustomer, when: change("fixed@example.com", withoutVerification: true, reason: "line\nbreak"),
                            thenError: .validationFailed)
        XCTAssertTrue(control?.problems.first?.message.contains("printable") == true)
        let stray = given(verifiedCustomer, when: change("fixed@example.com", reason: "why"), thenError: .validationFailed)
        XCTAssertEqual(stray?.problems.map(\.field), ["reason"])
    }

    func testAChangeAtOnceSupersedesAPendingOne() {
        let history = verifiedCustomer + [requested("pending@example.com")]
        let atOnce = CustomerEvent.emailChanged(EmailChanged(previousEmail: "maria@example.com", email: "fixed@example.com", reason: "r"))
        let state = CustomerDecider.replay(history + [atOnce])
        XCTAssertNil(state.requestedEmail)
        XCTAssertEqual(state.emailChangeTokenUsability(changeTokenId, at: Fixture.now), .superseded)
        given(history + [atOnce], when: confirm(), thenError: .tokenSuperseded)
    }

    // MARK: Confirming

    func testTheLinkSwitchesTheAddress() {
        let history = verifiedCustomer + [requested("new@example.com")]
        let at = Fixture.now + Fixture.day
        given(history, when: confirm(), context: Fixture.context(at), then: [
            .emailChangeConfirmed(EmailChangeConfirmed(previousEmail: "maria@example.com", email: "new@example.com", tokenId: changeTokenId, confirmedAt: at)),
        ])
        let state = CustomerDecider.replay(history + [
            .emailChangeConfirmed(EmailChangeConfirmed(previousEmail: "maria@example.com", email: "new@example.com", tokenId: changeTokenId, confirmedAt: at)),
        ])
        XCTAssertEqual(state.profile?.email, "new@example.com")
        XCTAssertNil(state.requestedEmail)
        XCTAssertEqual(state.emailChangeTokenUsability(changeTokenId, at: at), .used)
        given(history + [.emailChangeConfirmed(EmailChangeConfirmed(previousEmail: "maria@example.com", email: "new@example.com", tokenId: changeTokenId, confirmedAt: at))],
              when: confirm(), thenError: .tokenUsed)
    }

    func testConfirmingVerifiesAnUnverifiedCustomer() {
        let history = Fixture.signedUp + [requested("new@example.com")]
        given(history, when: confirm(), then: [
            .emailChangeConfirmed(EmailChangeConfirmed(previousEmail: "maria@example.com", email: "new@example.com", tokenId: changeTokenId, confirmedAt: Fixture.now)),
            .emailVerified(EmailVerified(verifiedAt: Fixture.now, tokenId: changeTokenId)),
        ])
    }

    func testAnExpiredLinkIsRefusedAndTheChangeIsNoLongerPending() {
        let history = verifiedCustomer + [requested("new@example.com")]
        let error = given(history, when: confirm(), context: Fixture.context(Fixture.now + 7 * Fixture.day), thenError: .tokenExpired)
        XCTAssertTrue(error?.message.contains("expired") == true)
        let state = CustomerDecider.replay(history).withoutExpiredEmailChange(at: Fixture.now + 7 * Fixture.day)
        XCTAssertNil(state.requestedEmail)
    }

    func testAnUnknownTokenOrAnOldVerificationTokenNeverConfirmsAChange() {
        let history = Fixture.signedUp + [requested("new@example.com")]
        given(history, when: confirm(Fixture.uuid(0x99)), thenError: .tokenUnknown)
        // The sign-up link's token id is not the change's: it verifies the old address, not the new one.
        given(history, when: confirm(Fixture.verificationTokenId), thenError: .tokenUnknown)
        given(history, when: .verifyEmail(tokenId: Fixture.verificationTokenId), then: [Fixture.verified(at: Fixture.now)])
        let afterOldLink = CustomerDecider.replay(history + [Fixture.verified(at: Fixture.now)])
        XCTAssertEqual(afterOldLink.profile?.email, "maria@example.com")
        XCTAssertEqual(afterOldLink.requestedEmail, "new@example.com", "still waiting for the new inbox")
    }

    func testAnAddressTakenMeanwhileIsNeverGivenToTwoCustomers() {
        let error = given(verifiedCustomer + [requested("new@example.com")], when: confirm(takenByAnother: true), thenError: .emailAlreadyUsed)
        XCTAssertEqual(error?.problems.map(\.field), ["email"])
    }

    func testTheNoticeOfAChangeHasItsOwnFixedEntryId() {
        let event = UUID(uuidString: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")!
        let notice = EmailChangeNotice.entryId(forEvent: event)
        XCTAssertEqual(notice.uuidString.lowercased(), "6f1c2a3b-4d5e-8f60-8a7b-9c0d1e2f3a4b")
        XCTAssertEqual(EmailChangeNotice.entryId(forEvent: event), notice, "the same after a rebuild")
        XCTAssertNotEqual(notice, event)
    }

    func testHistoryWordsTheChangeWithBothAddresses() {
        let before = CustomerDecider.replay(verifiedCustomer)
        let summary = requested("new@example.com").summary(after: before)
        XCTAssertTrue(summary.hasPrefix("email: maria@example.com → new@example.com (pending verification"), summary)
        let atOnce = CustomerEvent.emailChanged(EmailChanged(previousEmail: "a@x.com", email: "b@x.com", reason: "typo"))
        XCTAssertEqual(atOnce.summary, "email: a@x.com → b@x.com (changed without verification; reason: typo)")
        XCTAssertEqual(atOnce.fields.map(\.name), ["previousEmail", "email", "reason"])
        XCTAssertNil(atOnce.resultingStatus)
    }
}
