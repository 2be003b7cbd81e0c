import CompactCodec
@testable import EventStore
import Foundation
import XCTest

/// The OS user is an optional trailing field of the envelope: envelopes written before it existed still decode.
final class EnvelopeOSUserTests: XCTestCase {
    func testAnEnvelopeWithoutTheTrailingFieldDecodesWithNoOSUser() throws {
        // The layout as the previous build wrote it: nothing after the payload.
        var old = ByteWriter()
        old.writeByte(1)
        old.writeUUID(UUID(uuid: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)))
        old.writeVarUInt(3)
        old.writeDate(Date(timeIntervalSince1970: 1_700_000_000))
        old.writeVarUInt(1)
        old.writeString("Something")
        old.writeString("customer-1")
        old.writeString("alice")
        old.writeOptionalUUID(nil)
        old.writeOptionalUUID(nil)
        old.writeBytes([1, 2, 3])
        let decoded = try old.bytes.withUnsafeBytes { try EventEnvelope.decode(position: 7, bytes: $0) }
        XCTAssertEqual(decoded.metadata.actor, "alice")
        XCTAssertNil(decoded.metadata.osUser)
        XCTAssertEqual(decoded.payload, [1, 2, 3])
    }

    func testTheOSUserRoundTripsAndTheViewStillFindsThePayload() throws {
        let event = EventData(type: "Something", metadata: EventMetadata(actor: "alice", osUser: "root"), payload: [9, 8])
        var writer = ByteWriter()
        var stream = ByteWriter()
        stream.writeString("customer-1")
        EventEnvelope.encode(event, encodedStream: stream.bytes, version: 1, recordedAt: Date(), into: &writer)
        try writer.bytes.withUnsafeBytes { bytes in
            let decoded = try EventEnvelope.decode(position: 1, bytes: bytes)
            XCTAssertEqual(decoded.metadata.osUser, "root")
            XCTAssertEqual(decoded.payload, [9, 8])
            XCTAssertEqual(Array(try EventView(position: 1, bytes: bytes).payload), [9, 8])
        }
    }
}
