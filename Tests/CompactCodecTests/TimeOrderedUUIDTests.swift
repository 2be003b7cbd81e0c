import CompactCodec
import Foundation
import XCTest

final class TimeOrderedUUIDTests: XCTestCase {
    func testLayoutIsVersionSevenWithTheMillisecondsFirst() {
        let id = TimeOrderedUUID.make(milliseconds: 0x0123_4567_89AB, counter: 0xCDE, random: .max)
        XCTAssertEqual(id.uuidString, "01234567-89AB-7CDE-BFFF-FFFFFFFFFFFF")
        let zero = TimeOrderedUUID.make(milliseconds: 0, counter: 0, random: 0)
        XCTAssertEqual(zero.uuidString, "00000000-0000-7000-8000-000000000000")
    }

    func testIdsOfOneProcessIncreaseInByteOrder() {
        // Many ids per millisecond: the counter keeps them increasing, carrying into the milliseconds.
        var previous = TimeOrderedUUID.next().bytes
        for _ in 0..<20_000 {
            let id = TimeOrderedUUID.next()
            let bytes = id.bytes
            XCTAssertEqual(bytes[6] >> 4, 7, "version 7")
            XCTAssertEqual(bytes[8] >> 6, 0b10, "RFC 9562 variant")
            XCTAssertTrue(previous.lexicographicallyPrecedes(bytes), "\(id) after \(previous)")
            previous = bytes
        }
    }

    func testTheMillisecondsAreTheClock() {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let bytes = TimeOrderedUUID.next().bytes
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        let milliseconds = bytes.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        // A counter that ran over in an earlier test may have moved the stamp a few milliseconds ahead.
        XCTAssertGreaterThanOrEqual(milliseconds, before)
        XCTAssertLessThanOrEqual(milliseconds, after + 100)
    }
}
