import CustomerService
import XCTest

final class ConstantTimeTests: XCTestCase {
    func testEqualArrays() {
        XCTAssertTrue(ConstantTime.equals([], []))
        XCTAssertTrue(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        let long = (0..<1_000).map { UInt8(truncatingIfNeeded: $0) }
        XCTAssertTrue(ConstantTime.equals(long, long))
    }

    func testDifferenceAnywhereIsDetected() {
        let base = [UInt8](repeating: 0x5a, count: 32)
        for index in base.indices {
            for bit in 0..<8 {
                var changed = base
                changed[index] ^= 1 << UInt8(bit)
                XCTAssertFalse(ConstantTime.equals(base, changed), "byte \(index) bit \(bit)")
                XCTAssertFalse(ConstantTime.equals(changed, base), "byte \(index) bit \(bit)")
            }
        }
    }

    func testLengthMismatchIsUnequal() {
        XCTAssertFalse(ConstantTime.equals([], [0]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2]))
        XCTAssertFalse(ConstantTime.equals([1, 2], [1, 2, 3]))
        // A prefix with trailing zeros is still a different string.
        XCTAssertFalse(ConstantTime.equals([1, 2], [1, 2, 0]))
    }
}
