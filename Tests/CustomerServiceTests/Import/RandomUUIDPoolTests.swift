@testable import CustomerService
import XCTest

final class RandomUUIDPoolTests: XCTestCase {
    /// Ids cut from the bulk random bytes are version 4 / RFC 4122 UUIDs and never repeat, across refills too.
    func testIdsAreVersionFourAndDistinctAcrossRefills() {
        var pool = RandomUUIDPool()
        var seen = Set<UUID>()
        for _ in 0..<2_000 {  // 2 000 × 16 bytes spans several 4 KiB refills
            let id = pool.next()
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            XCTAssertEqual(bytes[6] >> 4, 4)
            XCTAssertEqual(bytes[8] >> 6, 0b10)
            XCTAssertTrue(seen.insert(id).inserted)
        }
    }
}
