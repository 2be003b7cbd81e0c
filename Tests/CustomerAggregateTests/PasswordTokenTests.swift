import CustomerAggregate
import Foundation
import XCTest

final class PasswordTokenTests: XCTestCase {
    func testIssuesATokenForAnUnverifiedCustomer() {
        given(Fixture.signedUp, when: .sendPasswordToken(tokenId: Fixture.passwordTokenId), then: [
            .passwordTokenIssued(PasswordTokenIssued(tokenId: Fixture.passwordTokenId, expiresAt: Fixture.now + 2 * Fixture.hour)),
        ])
    }

    func testIssuesATokenForAVerifiedCustomer() {
        let later = Fixture.now + Fixture.day
        given(Fixture.signedUp + [Fixture.verified()], when: .sendPasswordToken(tokenId: Fixture.passwordTokenId),
              context: Fixture.context(later), then: [
                  .passwordTokenIssued(PasswordTokenIssued(tokenId: Fixture.passwordTokenId, expiresAt: later + 2 * Fixture.hour)),
              ])
    }

    func testANewTokenSupersedesThePreviousOne() {
        let second = CustomerEvent.passwordTokenIssued(PasswordTokenIssued(
            tokenId: Fixture.secondPasswordTokenId, expiresAt: Fixture.now + 3 * Fixture.hour
        ))
        let state = CustomerDecider.replay(Fixture.signedUp + [Fixture.passwordTokenIssued, second])
        XCTAssertEqual(state.passwordToken?.id, Fixture.secondPasswordTokenId)
        XCTAssertEqual(state.supersededPasswordTokenIds, [Fixture.passwordTokenId])
        // Password tokens never touch the verification token.
        XCTAssertEqual(state.verificationToken?.id, Fixture.verificationTokenId)
        XCTAssertTrue(state.supersededVerificationTokenIds.isEmpty)
    }

    func testTheTTLSettingApplies() {
        let settings = StoreSettings(passwordTokenTTL: 15 * 60)
        given(Fixture.signedUp, when: .sendPasswordToken(tokenId: Fixture.passwordTokenId),
              context: Fixture.context(settings: settings), then: [
                  .passwordTokenIssued(PasswordTokenIssued(tokenId: Fixture.passwordTokenId, expiresAt: Fixture.now + 900)),
              ])
    }
}
