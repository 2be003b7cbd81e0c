import CustomerAggregate
import Foundation
import XCTest

final class EvolveTests: XCTestCase {
    func testInitialStateIsNoCustomer() {
        let state = CustomerDecider.initialState
        XCTAssertFalse(state.exists)
        XCTAssertNil(state.customerId)
        XCTAssertNil(state.profile)
        XCTAssertEqual(state, CustomerDecider.replay([]))
    }

    func testCreatedFillsTheState() {
        let state = CustomerDecider.evolve(CustomerDecider.initialState, Fixture.created)
        XCTAssertEqual(state, CustomerState(
            customerId: Fixture.customerId, reference: Fixture.reference, profile: Fixture.profile,
            origin: .backOffice, status: .unverified, createdAt: Fixture.now
        ))
    }

    func testASecondCreatedIsIgnored() {
        let state = CustomerDecider.replay(Fixture.signedUp)
        let other = CustomerEvent.created(CustomerCreated(
            customerId: CustomerID(Fixture.uuid(9)), reference: CustomerReference(prefix: "DE", number: 9),
            profile: Fixture.profile, createdAt: Fixture.now + 1, origin: .import
        ))
        XCTAssertEqual(CustomerDecider.evolve(state, other), state)
    }

    func testEventsBeforeCreationAreIgnored() {
        for event in [Fixture.verificationRequested, Fixture.passwordTokenIssued, Fixture.verified()] {
            XCTAssertEqual(CustomerDecider.evolve(CustomerDecider.initialState, event), CustomerDecider.initialState)
        }
    }

    func testReissuingTheSameTokenIdDoesNotSupersedeItself() {
        let state = CustomerDecider.replay(Fixture.signedUp + [Fixture.verificationRequested])
        XCTAssertTrue(state.supersededVerificationTokenIds.isEmpty)
        XCTAssertEqual(state.verificationToken?.id, Fixture.verificationTokenId)
    }

    func testVerificationWithAnUnrelatedTokenStillVerifiesButMarksNothingUsed() {
        let state = CustomerDecider.replay(Fixture.signedUp + [Fixture.verified(tokenId: Fixture.uuid(0x77))])
        XCTAssertEqual(state.status, .verified)
        XCTAssertEqual(state.verificationToken?.used, false)
    }

    func testTokensExpireAtTheirExpiryInstant() {
        let token = IssuedToken(id: Fixture.verificationTokenId, expiresAt: Fixture.now)
        XCTAssertFalse(token.isExpired(at: Fixture.now - 0.001))
        XCTAssertTrue(token.isExpired(at: Fixture.now))
    }
}
