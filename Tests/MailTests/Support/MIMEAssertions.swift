import XCTest

/// Asserts that every line break in `bytes` is CRLF: no bare CR, no bare LF.
func XCTAssertOnlyCRLF(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
    for index in bytes.indices {
        if bytes[index] == UInt8(ascii: "\n") {
            XCTAssert(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"), "bare LF at byte \(index)", file: file, line: line)
        }
        if bytes[index] == UInt8(ascii: "\r") {
            XCTAssert(index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"), "bare CR at byte \(index)",
                      file: file, line: line)
        }
    }
}

/// Checks encoder output against RFC 2045 §6.7: lines of at most 76 characters, only printable ASCII, `=` only
/// as a soft break or before two upper-case hex digits, no white space at the end of a line.
func XCTAssertValidQuotedPrintable(_ body: String, file: StaticString = #filePath, line: UInt = #line) {
    for (number, text) in body.components(separatedBy: "\n").enumerated() {
        let bytes = Array(text.utf8)
        XCTAssertLessThanOrEqual(bytes.count, 76, "line \(number + 1) is too long: \(text)", file: file, line: line)
        XCTAssert(bytes.allSatisfy { $0 == 9 || (0x20...0x7E).contains($0) }, "line \(number + 1) is not printable ASCII",
                  file: file, line: line)
        if let last = bytes.last {
            XCTAssert(last != UInt8(ascii: " ") && last != UInt8(ascii: "\t"), "line \(number + 1) ends in white space",
                      file: file, line: line)
        }
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "=") && index != bytes.count - 1 {
                let hex = index + 2 < bytes.count ? bytes[(index + 1)...(index + 2)] : []
                XCTAssert(hex.count == 2 && hex.allSatisfy { Array("0123456789ABCDEF".utf8).contains($0) },
                          "line \(number + 1) has a bad escape at column \(index + 1): \(text)", file: file, line: line)
                index += 3
            } else {
                index += 1
            }
        }
    }
}
