import CustomerAggregate
import Foundation
import XCTest

final class VerifyEmailTests: XCTestCase {
    func testTheCurrentTokenVerifiesTheCustomer() throws {
        let at = Fixture.now + Fixture.hour
        given(Fixture.signedUp, when: .verifyEmail(tokenId: Fixture.verificationTokenId), context: Fixture.context(at),
              then: [.emailVerified(EmailVerified(verifiedAt: at, tokenId: Fixture.verificationTokenId))])

        let state = CustomerDecider.replay(Fixture.signedUp + [Fixture.verified(at: at)])
        XCTAssertEqual(state.status, .verified)
        XCTAssertEqual(state.verifiedAt, at)
        XCTAssertEqual(state.verificationToken?.used, true)
    }

    func testTheLastInstantBeforeExpiryStillWorks() {
        let justBefore = Fixture.now + 7 * Fixture.day - 0.5
        given(Fixture.signedUp, when: .verifyEmail(tokenId: Fixture.verificationTokenId),
              context: Fixture.context(justBefore),
              then: [.emailVerified(EmailVerified(verifiedAt: justBefore, tokenId: Fixture.verificationTokenId))])
    }

    func testAnExpiredTokenIsRefusedWithTheWayOut() {
        let error = given(Fixture.signedUp, when: .verifyEmail(tokenId: Fixture.verificationTokenId),
                          context: Fixture.context(Fixture.now + 7 * Fixture.day), thenError: .tokenExpired)
        // The message says the way out in words; the remedy names the customer, and each front end says it.
        XCTAssertEqual(error?.message, "This verification link expired on 2025-12-06 12:00 UTC; request a new one")
        XCTAssertEqual(error?.remedy, .requestNewVerification(reference: "DE--3"))
    }

    func testAUsedTokenIsRefusedAsUsed() {
        let error = given(Fixture.signedUp + [Fixture.verified()], when: .verifyEmail(tokenId: Fixture.verificationTokenId),
                          thenError: .tokenUsed)
        XCTAssertEqual(error?.message, "This verification link was already used; Customer DE--3 was verified on 2025-11-29 13:00 UTC")
    }

    func testASupersededTokenIsRefusedAsSuperseded() {
        let error = given(Fixture.signedUp + [Fixture.resent(at: Fixture.now)],
                          when: .verifyEmail(tokenId: Fixture.verificationTokenId), thenError: .tokenSuperseded)
        XCTAssertTrue(error?.message.contains("replaced by a newer one") == true, error?.message ?? "")
        // The superseding token still works.
        given(Fixture.signedUp + [Fixture.resent(at: Fixture.now)],
              when: .verifyEmail(tokenId: Fixture.secondVerificationTokenId),
              then: [.emailVerified(EmailVerified(verifiedAt: Fixture.now, tokenId: Fixture.secondVerificationTokenId))])
    }

    /// Supersession wins over expiry: the user should use the newer link, not ask for yet another one.
    func testASupersededAndExpiredTokenIsReportedAsSuperseded() {
        given(Fixture.signedUp + [Fixture.resent(at: Fixture.now)], when: .verifyEmail(tokenId: Fixture.verificationTokenId),
              context: Fixture.context(Fixture.now + 30 * Fixture.day), thenError: .tokenSuperseded)
    }

    func testATokenTheCustomerNeverHadIsUnknown() {
        given(Fixture.signedUp, when: .verifyEmail(tokenId: Fixture.uuid(0x99)), thenError: .tokenUnknown)
        given(Fixture.signedUp + [Fixture.verified()], when: .verifyEmail(tokenId: Fixture.uuid(0x99)),
              thenError: .tokenUnknown)
        given(Fixture.signedUp, when: .verifyEmail(tokenId: Fixture.passwordTokenId), thenError: .tokenUnknown)
    }

    func testAnImportedUnverifiedCustomerWithoutTokenHasNoKnownToken() {
        let imported = CustomerEvent.created(CustomerCreated(
            customerId: Fixture.customerId, reference: Fixture.reference, profile: Fixture.profile,
            createdAt: Fixture.now, origin: .import
        ))
        given([imported], when: .verifyEmail(tokenId: Fixture.verificationTokenId), thenError: .tokenUnknown)
    }

    func testAnOldLinkOfAnAlreadyVerifiedCustomerSaysAlreadyVerified() {
        let history = Fixture.signedUp + [
            Fixture.resent(at: Fixture.now),
            Fixture.verified(tokenId: Fixture.secondVerificationTokenId),
        ]
        let error = given(history, when: .verifyEmail(tokenId: Fixture.verificationTokenId), thenError: .alreadyVerified)
        XCTAssertEqual(error?.message, "Customer DE--3 is already verified")
    }
}
