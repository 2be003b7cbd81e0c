import CustomerAggregate
import Foundation
import XCTest

/// The fast paths of the hot parsing helpers give exactly what the slow, general code gives.
final class TextTrimmingTests: XCTestCase {
    func testTrimmingWhitespaceIsFoundationsTrimming() {
        let samples = [
            "", " ", "\t", "DE--1", " DE--1", "DE--1 ", "\tDE--1\t", "\nDE--1\r\n", "DE--1\n", "\u{00A0}DE--1", "DE--1\u{3000}",
            "\u{2028}x", "x\u{0085}", "Zoë", " Ørjan ", "\u{0B}v\u{0C}", "a b", "  ", "é", " \u{301}x",
        ]
        for sample in samples {
            XCTAssertEqual(sample.trimmingWhitespace(), sample.trimmingCharacters(in: .whitespaces), sample.debugDescription)
            XCTAssertEqual(
                sample.trimmingWhitespace(newlines: true), sample.trimmingCharacters(in: .whitespacesAndNewlines), sample.debugDescription)
        }
    }

    func testStreamNamesOfRandomIdsParseBackAndNearMissesDoNot() {
        for _ in 0..<500 {
            let id = CustomerID(UUID())
            XCTAssertEqual(CustomerID(streamName: id.streamName), id)
            XCTAssertEqual(CustomerID(streamName: CustomerID.streamPrefix + id.uuid.uuidString), id)
        }
        let text = "e621e1f8-c36c-495a-93fc-0c247a3e6e5f"
        for bad in [String(text.dropLast()), text + "0", text.replacingOccurrences(of: "-495a", with: "4-95a"), "g" + text.dropFirst(),
                    text.replacingOccurrences(of: "-", with: "0")] {
            XCTAssertNil(CustomerID(streamName: CustomerID.streamPrefix + bad), bad)
        }
    }
}
