@testable import CompactCodec
import Foundation
import XCTest

final class RandomUUIDTests: XCTestCase {
    func testLayoutIsVersionFourWithTheRandomBitsKept() {
        XCTAssertEqual(RandomUUID.make((.max, .max)).uuidString, "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF")
        XCTAssertEqual(RandomUUID.make((0, 0)).uuidString, "00000000-0000-4000-8000-000000000000")
        XCTAssertEqual(
            RandomUUID.make((0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210)).uuidString, "01234567-89AB-4DEF-BEDC-BA9876543210")
    }

    func testIdsAreVersionFourAndDistinct() {
        var seen = Set<UUID>()
        var bitsSeen: (UInt64, UInt64) = (0, 0)
        for _ in 0..<20_000 {
            let id = RandomUUID.next()
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            XCTAssertEqual(bytes[6] >> 4, 4, "version 4")
            XCTAssertEqual(bytes[8] >> 6, 0b10, "RFC 9562 variant")
            XCTAssertTrue(seen.insert(id).inserted, "\(id) repeated")
            let (high, low) = withUnsafeBytes(of: id.uuid) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
            bitsSeen = (bitsSeen.0 | high, bitsSeen.1 | low)
        }
        // Every bit that is not version or variant varies: no byte is left zero by a short read.
        XCTAssertEqual(bitsSeen.0.nonzeroBitCount, 64 - 3, "only the version's three zero bits stay zero")
        XCTAssertEqual(bitsSeen.1.nonzeroBitCount, 64 - 1, "only the variant's zero bit stays zero")
    }
}
