import CustomerService
import XCTest

final class SecureRandomTests: XCTestCase {
    func testReturnsTheRequestedSize() {
        // Includes sizes around getrandom(2)'s 256-byte short-read threshold.
        for count in [0, 1, 15, 16, 32, 255, 256, 257, 1_000, 100_000] {
            XCTAssertEqual(SecureRandom.bytes(count).count, count)
        }
    }

    func testValuesAreDistinct() {
        var seen = Set<[UInt8]>()
        for _ in 0..<1_000 {
            seen.insert(SecureRandom.bytes(16))
        }
        XCTAssertEqual(seen.count, 1_000, "a 128-bit collision in 1000 draws means the source is broken")
    }

    /// A cheap sanity check against a stuck or zero-filled source (not a randomness test suite):
    /// 800k bits should have 400k ± ~450 ones; the bound is more than 5 standard deviations.
    func testBitsAreRoughlyBalanced() {
        let bytes = SecureRandom.bytes(100_000)
        let ones = bytes.reduce(0) { $0 + $1.nonzeroBitCount }
        XCTAssertLessThan(abs(ones - 400_000), 2_500)
        XCTAssertNotEqual(bytes, [UInt8](repeating: 0, count: bytes.count))
    }
}
