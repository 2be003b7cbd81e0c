import CustomerAggregate
import Foundation
import XCTest

/// The one rule "is this token still usable", which the decider, `show` and the outbox all ask.
final class TokenUsabilityTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let first = UUID()
    let second = UUID()

    private func state(status: CustomerStatus = .unverified, current: IssuedToken?, superseded: Set<UUID> = []) -> CustomerState {
        CustomerState(
            customerId: CustomerID(UUID()), status: status, verificationToken: current,
            supersededVerificationTokenIds: superseded, passwordToken: current, supersededPasswordTokenIds: superseded)
    }

    func testVerificationTokens() {
        let live = IssuedToken(id: second, expiresAt: now + 60)
        let customer = state(current: live, superseded: [first])
        XCTAssertEqual(customer.verificationTokenUsability(second, at: now), .usable(live))
        XCTAssertEqual(customer.verificationTokenUsability(first, at: now), .superseded)
        XCTAssertEqual(customer.verificationTokenUsability(UUID(), at: now), .unknown)
        XCTAssertEqual(customer.verificationTokenUsability(second, at: now + 60), .expired(live), "expired from expiresAt on")
        XCTAssertEqual(state(status: .verified, current: live).verificationTokenUsability(second, at: now), .alreadyVerified)
        var used = live
        used.used = true
        XCTAssertEqual(state(status: .verified, current: used).verificationTokenUsability(second, at: now), .used)
    }

    func testPasswordTokensIgnoreTheStatus() {
        let live = IssuedToken(id: second, expiresAt: now + 60)
        let verified = state(status: .verified, current: live, superseded: [first])
        XCTAssertEqual(verified.passwordTokenUsability(second, at: now), .usable(live))
        XCTAssertTrue(verified.passwordTokenUsability(second, at: now).isUsable)
        XCTAssertEqual(verified.passwordTokenUsability(first, at: now), .superseded)
        XCTAssertEqual(verified.passwordTokenUsability(UUID(), at: now), .unknown)
        XCTAssertEqual(verified.passwordTokenUsability(second, at: now + 61), .expired(live))
    }
}
