import CustomerAggregate
import Foundation
import XCTest

/// Every command but create and import needs the customer to exist.
final class MissingCustomerTests: XCTestCase {
    func testCommandsOnAMissingCustomerAreNotFound() {
        let commands: [CustomerCommand] = [
            .sendPasswordToken(tokenId: Fixture.passwordTokenId),
            .verifyEmail(tokenId: Fixture.verificationTokenId),
            .resendVerification(tokenId: Fixture.verificationTokenId),
        ]
        for command in commands {
            let error = given([], when: command, thenError: .customerNotFound)
            XCTAssertEqual(error?.message, "Customer not found")
        }
    }

    /// Events before creation are ignored, so they do not make a customer appear.
    func testStrayEventsDoNotCreateACustomer() {
        given([Fixture.verificationRequested, Fixture.verified()], when: .sendPasswordToken(tokenId: Fixture.passwordTokenId),
              thenError: .customerNotFound)
    }
}
