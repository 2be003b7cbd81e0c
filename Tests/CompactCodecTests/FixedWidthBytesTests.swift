import CompactCodec
import Foundation
import XCTest

final class FixedWidthBytesTests: XCTestCase {
    func testUUIDBytesRoundTripAndMatchTheRecordLayout() {
        let id = UUID()
        var writer = ByteWriter()
        writer.writeUUID(id)
        XCTAssertEqual(id.bytes, writer.bytes, "one layout for keys and records")
        XCTAssertEqual(UUID(bytes: id.bytes), id)
        XCTAssertNil(UUID(bytes: Array(id.bytes.prefix(15))), "fewer than 16 bytes are no UUID")
    }

    func testBigEndianSortsLikeTheNumbers() {
        var bytes: [UInt8] = []
        appendBigEndian(0x0102_0304_0506_0708, to: &bytes)
        XCTAssertEqual(bytes, [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(BigEndianUInt64(0x0102_0304_0506_0708).bytes, bytes)
        XCTAssertEqual(bytes.withUnsafeBytes { readBigEndianUInt64($0) }, 0x0102_0304_0506_0708)
        XCTAssertEqual([UInt8]([1, 2]).withUnsafeBytes { readBigEndianUInt64($0) }, 0x0102, "short buffers are left-padded")
        XCTAssertLessThan(BigEndianUInt64(255).bytes.lexicographicallyPrecedes(BigEndianUInt64(256).bytes) ? 0 : 1, 1)
    }
}
