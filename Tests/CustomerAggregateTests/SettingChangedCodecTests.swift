import CustomerAggregate
import Foundation
import XCTest

/// Settings events are stored forever too: the committed samples must keep decoding.
final class SettingChangedCodecTests: XCTestCase {
    static let samples: [(event: SettingChanged, hex: String)] = [
        (SettingChanged(key: .verificationTokenTTL, value: "3d"), "16766572696669636174696f6e2d746f6b656e2d74746c023364"),
        (SettingChanged(key: .locales, value: "en_US,de_DE,fr_FR"), "076c6f63616c657311656e5f55532c64655f44452c66725f4652"),
    ]

    func testCommittedSamplesStillDecodeAndEncodeTheSame() throws {
        for sample in Self.samples {
            let decoded = try SettingChanged.decode(
                typeName: "SettingChanged", schemaVersion: 1, bytes: [UInt8](hex: sample.hex)
            )
            XCTAssertEqual(decoded, sample.event)
            XCTAssertEqual(sample.event.encodePayload().hex, sample.hex)
            XCTAssertEqual(sample.event.typeName, "SettingChanged")
            XCTAssertEqual(sample.event.schemaVersion, 1)
        }
    }

    func testEveryKeyRoundTrips() throws {
        for key in SettingKey.allCases {
            let event = SettingChanged(key: key, value: key.defaultValue)
            let decoded = try event.encodePayload().withUnsafeBytes {
                try SettingChanged.decode(typeName: event.typeName, schemaVersion: event.schemaVersion, payload: $0)
            }
            XCTAssertEqual(decoded, event)
        }
    }

    func testRefusesOtherTypesVersionsUnknownKeysAndTrailingBytes() {
        let bytes = [UInt8](hex: Self.samples[0].hex)
        XCTAssertThrowsError(try SettingChanged.decode(typeName: "CustomerCreated", schemaVersion: 1, bytes: bytes)) {
            XCTAssertTrue($0 is EventDecodingError)
        }
        XCTAssertThrowsError(try SettingChanged.decode(typeName: "SettingChanged", schemaVersion: 2, bytes: bytes)) {
            XCTAssertTrue($0 is EventDecodingError)
        }
        // "colour" = "red": a key this version does not know.
        let unknownKey: [UInt8] = [6] + Array("colour".utf8) + [3] + Array("red".utf8)
        XCTAssertThrowsError(try SettingChanged.decode(typeName: "SettingChanged", schemaVersion: 1, bytes: unknownKey)) {
            XCTAssertTrue("\($0)".contains("unknown setting key"), "\($0)")
        }
        XCTAssertThrowsError(try SettingChanged.decode(typeName: "SettingChanged", schemaVersion: 1, bytes: bytes + [1]))
    }

    func testReadableForm() {
        let event = SettingChanged(key: .baseURL, value: "https://shop.example.com")
        XCTAssertEqual(event.summary, "Setting base-url set to https://shop.example.com")
        XCTAssertEqual(event.fields.jsonObjectText, #"{"key":"base-url","value":"https://shop.example.com"}"#)
    }
}
