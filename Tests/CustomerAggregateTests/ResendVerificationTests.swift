import CustomerAggregate
import Foundation
import XCTest

final class ResendVerificationTests: XCTestCase {
    func testAnUnverifiedCustomerGetsANewVerificationEmail() {
        let later = Fixture.now + 3 * Fixture.day
        given(Fixture.signedUp, when: .resendVerification(tokenId: Fixture.secondVerificationTokenId),
              context: Fixture.context(later), then: [Fixture.resent(at: later)])
    }

    func testTheOldTokenBecomesSuperseded() {
        let state = CustomerDecider.replay(Fixture.signedUp + [Fixture.resent(at: Fixture.now + Fixture.day)])
        XCTAssertEqual(state.verificationToken?.id, Fixture.secondVerificationTokenId)
        XCTAssertEqual(state.verificationToken?.expiresAt, Fixture.now + 8 * Fixture.day)
        XCTAssertEqual(state.supersededVerificationTokenIds, [Fixture.verificationTokenId])
    }

    func testAnImportedCustomerWithoutTokenCanRequestOne() {
        let imported = CustomerEvent.created(CustomerCreated(
            customerId: Fixture.customerId, reference: Fixture.reference, profile: Fixture.profile,
            createdAt: Fixture.now, origin: .import
        ))
        given([imported], when: .resendVerification(tokenId: Fixture.secondVerificationTokenId),
              then: [Fixture.resent(at: Fixture.now)])
    }

    func testAVerifiedCustomerIsRefused() {
        let error = given(Fixture.signedUp + [Fixture.verified()],
                          when: .resendVerification(tokenId: Fixture.secondVerificationTokenId), thenError: .notUnverified)
        XCTAssertEqual(error?.message, "Customer DE--3 is already verified")
    }
}
