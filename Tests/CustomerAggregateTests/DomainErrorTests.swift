import CustomerAggregate
import XCTest

final class DomainErrorTests: XCTestCase {
    func testDescriptionIsTheMessageThenOneLinePerProblem() {
        let error = DomainError(.validationFailed, "Invalid customer data: two problems", problems: [
            Problem(field: "email", message: "Email is required"),
            Problem(field: "first-name", message: "First name is required"),
        ])
        XCTAssertEqual(error.description, """
            Invalid customer data: two problems
              email: Email is required
              first-name: First name is required
            """)
        XCTAssertEqual(DomainError(.customerNotFound, "Customer not found").description, "Customer not found")
    }

    func testCodesAreStableStringsAndComparable() {
        let codes: [DomainError.Code] = [
            .validationFailed, .emailAlreadyUsed, .customerAlreadyExists, .customerNotFound, .alreadyVerified,
            .notUnverified, .tokenUnknown, .tokenUsed, .tokenExpired, .tokenSuperseded, .invalidSetting, .invalidCommand,
        ]
        XCTAssertEqual(codes.map(\.rawValue), [
            "validationFailed", "emailAlreadyUsed", "customerAlreadyExists", "customerNotFound", "alreadyVerified",
            "notUnverified", "tokenUnknown", "tokenUsed", "tokenExpired", "tokenSuperseded", "invalidSetting",
            "invalidCommand",
        ])
        XCTAssertEqual(Set(codes).count, codes.count)
        XCTAssertEqual(DomainError.Code("tokenUsed"), .tokenUsed)
    }

    func testEnumsParseCaseInsensitively() {
        XCTAssertEqual(CustomerStatus(matching: "verified"), .verified)
        XCTAssertEqual(CustomerStatus(matching: "UNVERIFIED"), .unverified)
        XCTAssertNil(CustomerStatus(matching: "pending"))
        XCTAssertEqual(Salutation(matching: "N/A"), .notApplicable)
        XCTAssertEqual(Gender(matching: "male"), .male)
    }
}
