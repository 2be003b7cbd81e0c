import CustomerAggregate
import Foundation
import XCTest

final class ISO8601TimeTests: XCTestCase {
    func testTheAcceptedForms() {
        let midnight = Date(timeIntervalSince1970: 1_764_547_200)  // 2025-12-01T00:00:00Z
        XCTAssertEqual(ISO8601Time.parse("2025-12-01"), midnight)
        XCTAssertEqual(ISO8601Time.parse("2025-12-01T00:00Z"), midnight)
        XCTAssertEqual(ISO8601Time.parse("2025-12-01T18:35Z"), midnight + 18 * 3600 + 35 * 60)
        XCTAssertEqual(ISO8601Time.parse("2025-12-01T18:35:07Z"), midnight + 18 * 3600 + 35 * 60 + 7)
        XCTAssertEqual(ISO8601Time.parse("2025-12-01T02:00:00+02:00"), midnight)
        XCTAssertEqual(ISO8601Time.parse("2025-11-30T22:30:00-01:30"), midnight)
        XCTAssertEqual(ISO8601Time.parse("2024-02-29"), Date(timeIntervalSince1970: 1_709_164_800), "a leap day")
        // What UTCTime prints reads back exactly, to the microsecond.
        for micros: Int64 in [0, 1, 120_000, 123_456, 999_999] {
            let instant = Date(timeIntervalSince1970: Double(1_764_547_200 * 1_000_000 + 3_723_000_000 + micros) / 1_000_000)
            XCTAssertEqual(ISO8601Time.parse(UTCTime.iso8601(instant)), instant, UTCTime.iso8601(instant))
        }
    }

    func testEverythingElseIsRefused() {
        for text in [
            "2026-12-01 18:35", "2026-12-01T25:00:00Z", "2026-12-01T24:00Z", "2026-12-01T12:60Z", "2026-12-01T12:00:60Z",
            "2026-12-01junk", "2026-12-01T12:00:00Zjunk", "2026-02-30", "2025-02-29", "99999-01-01", "0000-01-01",
            "2026-1-01", "2026-12-1", "2026-12-01T12Z", "2026-12-01T12:00:00", "2026-12-01T12:00:00.Z",
            "2026-12-01T12:00:00.1234567Z", "2026-12-01T12:00:00+0200", "2026-12-01T12:00:00+24:00", " 2026-12-01",
            "2026-12-01 ", "2026-12-01t12:00Z", "２０２６-12-01", "", "yesterday",
        ] {
            XCTAssertNil(ISO8601Time.parse(text), "\(text) must be refused")
        }
    }
}
