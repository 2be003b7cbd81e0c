import CustomerAggregate
import Foundation
import XCTest

final class CalendarDateTests: XCTestCase {
    func testParsesRealDatesOnly() {
        XCTAssertEqual(CalendarDate.parse("1984-02-29"), CalendarDate(year: 1984, month: 2, day: 29))
        XCTAssertEqual(CalendarDate.parse("2000-02-29")?.description, "2000-02-29")
        XCTAssertEqual(CalendarDate.parse(" 2025-12-31 ")?.description, "2025-12-31")
        for text in [
            "2023-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "2025-1-05",
            "25-01-05", "2025/01/05", "05.01.2025", "2025-01-05T00:00:00Z", "0000-01-01", "", "abcd-ef-gh",
            "+202-01-01",
        ] {
            XCTAssertNil(CalendarDate.parse(text), text)
        }
    }

    func testDescriptionIsZeroPadded() {
        XCTAssertEqual(CalendarDate(year: 7, month: 3, day: 4)?.description, "0007-03-04")
    }

    func testOrdersChronologically() throws {
        let a = try XCTUnwrap(CalendarDate.parse("1999-12-31"))
        let b = try XCTUnwrap(CalendarDate.parse("2000-01-01"))
        XCTAssertLessThan(a, b)
        XCTAssertGreaterThan(b, a)
    }

    func testDaysSinceEpochRoundTripsAcrossTheRange() throws {
        XCTAssertEqual(CalendarDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch, 0)
        XCTAssertEqual(CalendarDate(year: 1969, month: 12, day: 31)?.daysSinceEpoch, -1)
        XCTAssertEqual(CalendarDate(year: 2000, month: 3, day: 1)?.daysSinceEpoch, 11_017)
        for days in stride(from: -719_162, through: 2_932_896, by: 997) {
            XCTAssertEqual(CalendarDate(daysSinceEpoch: days).daysSinceEpoch, days)
        }
        XCTAssertEqual(CalendarDate(daysSinceEpoch: -719_162).description, "0001-01-01")
        XCTAssertEqual(CalendarDate(daysSinceEpoch: 2_932_896).description, "9999-12-31")
    }

    func testUTCDayAndMidnight() throws {
        let lastSecond = Date(timeIntervalSince1970: 1_764_460_799.999) // 2025-11-29T23:59:59.999Z
        XCTAssertEqual(CalendarDate(utcDayOf: lastSecond).description, "2025-11-29")
        XCTAssertEqual(CalendarDate(utcDayOf: lastSecond + 0.001).description, "2025-11-30")
        XCTAssertEqual(CalendarDate(utcDayOf: Date(timeIntervalSince1970: -1)).description, "1969-12-31")
        let day = try XCTUnwrap(CalendarDate.parse("2020-06-24"))
        XCTAssertEqual(day.midnightUTC, Date(timeIntervalSince1970: 1_592_956_800))
    }
}

final class UTCTimeTests: XCTestCase {
    func testISO8601ShowsFractionsOnlyWhenPresent() {
        XCTAssertEqual(UTCTime.iso8601(Fixture.now), "2025-11-29T12:00:00Z")
        XCTAssertEqual(UTCTime.iso8601(Fixture.now + 0.25), "2025-11-29T12:00:00.250Z")
        XCTAssertEqual(UTCTime.iso8601(Fixture.now + 0.000_001), "2025-11-29T12:00:00.000001Z")
        XCTAssertEqual(UTCTime.iso8601(Date(timeIntervalSince1970: -0.5)), "1969-12-31T23:59:59.500Z")
        XCTAssertEqual(UTCTime.iso8601(Date(timeIntervalSince1970: 86_399.999_999_7)), "1970-01-02T00:00:00Z")
    }

    func testReadableIsMinutePrecisionUTC() {
        XCTAssertEqual(UTCTime.readable(Fixture.now + 7 * Fixture.day + 59), "2025-12-06 12:00 UTC")
    }

    func testRoundingToMicrosecondsIsStable() {
        let odd = Date(timeIntervalSince1970: 1_764_417_600.123_456_789)
        let rounded = UTCTime.roundedToMicroseconds(odd)
        XCTAssertEqual(rounded, UTCTime.roundedToMicroseconds(rounded))
        XCTAssertEqual(rounded.timeIntervalSince1970, 1_764_417_600.123_457, accuracy: 1e-7)
    }
}
