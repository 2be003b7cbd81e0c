import CompactCodec
import Foundation
import XCTest

final class CompactCodecTests: XCTestCase {
    func testRoundTripsEveryKind() throws {
        let id = UUID()
        let date = Date(timeIntervalSince1970: 1_732_000_000.123456)
        var writer = ByteWriter()
        writer.writeByte(7)
        writer.writeBool(true)
        writer.writeVarUInt(0)
        writer.writeVarUInt(UInt64.max)
        writer.writeVarInt(-1)
        writer.writeVarInt(Int64.min)
        writer.writeUInt64BigEndian(0x0102_0304_0506_0708)
        writer.writeString("Zoë Ørsted")
        writer.writeOptionalString(nil)
        writer.writeOptionalString("")
        writer.writeBytes([1, 2, 3])
        writer.writeUUID(id)
        writer.writeOptionalUUID(nil)
        writer.writeDate(date)
        writer.writeOptionalDate(nil)

        try ByteReader.withReader(over: writer.bytes) { reader in
            XCTAssertEqual(try reader.readByte(), 7)
            XCTAssertEqual(try reader.readBool(), true)
            XCTAssertEqual(try reader.readVarUInt(), 0)
            XCTAssertEqual(try reader.readVarUInt(), UInt64.max)
            XCTAssertEqual(try reader.readVarInt(), -1)
            XCTAssertEqual(try reader.readVarInt(), Int64.min)
            XCTAssertEqual(try reader.readUInt64BigEndian(), 0x0102_0304_0506_0708)
            XCTAssertEqual(try reader.readString(), "Zoë Ørsted")
            XCTAssertNil(try reader.readOptionalString())
            XCTAssertEqual(try reader.readOptionalString(), "")
            XCTAssertEqual(try reader.readBytes(), [1, 2, 3])
            XCTAssertEqual(try reader.readUUID(), id)
            XCTAssertNil(try reader.readOptionalUUID())
            XCTAssertEqual(try reader.readDate().timeIntervalSince1970, date.timeIntervalSince1970, accuracy: 1e-6)
            XCTAssertNil(try reader.readOptionalDate())
            XCTAssertTrue(reader.isAtEnd)
        }
    }

    func testBigEndianKeysSortLikeNumbers() {
        func key(_ value: UInt64) -> [UInt8] {
            var writer = ByteWriter()
            writer.writeUInt64BigEndian(value)
            return writer.bytes
        }
        XCTAssertTrue(key(255).lexicographicallyPrecedes(key(256)))
        XCTAssertTrue(key(1).lexicographicallyPrecedes(key(UInt64.max)))
    }

    func testTruncatedInputThrowsInsteadOfTrapping() {
        var writer = ByteWriter()
        writer.writeString("hello")
        let truncated = Array(writer.bytes.dropLast(2))
        XCTAssertThrowsError(try ByteReader.withReader(over: truncated) { try $0.readString() }) { error in
            XCTAssertTrue("\(error)".contains("exceeds"), "\(error)")
        }
        XCTAssertThrowsError(try ByteReader.withReader(over: [UInt8](repeating: 0xFF, count: 11)) { try $0.readVarUInt() })
        XCTAssertThrowsError(try ByteReader.withReader(over: [UInt8(2)]) { try $0.readBool() })
    }
}
