import Foundation
import XCTest

/// An independent reader for the messages under test: header unfolding, RFC 2047 B-words, quoted-printable.
/// Written from the RFCs rather than by calling the module, so the tests do not check the encoder against itself.
struct ParsedMessage {
    /// Header fields in order, values unfolded (CRLF before white space removed), leading space trimmed.
    let headers: [(name: String, value: String)]
    /// The raw body with `\n` line endings (a maildir written by Python uses `\n`; rendered bytes use CRLF).
    let rawBody: String

    init(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let parts = text.components(separatedBy: "\n\n")
        let head = parts.first ?? ""
        rawBody = parts.dropFirst().joined(separator: "\n\n")
        var fields: [(String, String)] = []
        for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", let last = fields.popLast() {
                fields.append((last.0, last.1 + line))
            } else if let colon = line.firstIndex(of: ":") {
                let value = line[line.index(after: colon)...].drop(while: { $0 == " " })
                fields.append((String(line[..<colon]), String(value)))
            }
        }
        headers = fields
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    func decodedHeader(_ name: String) -> String? {
        header(name).map(decodeEncodedWords)
    }

    /// The body after undoing its Content-Transfer-Encoding, with `\n` line endings.
    var decodedBody: String {
        switch header("Content-Transfer-Encoding")?.lowercased() {
        case "quoted-printable": String(decoding: decodeQuotedPrintable(rawBody), as: UTF8.self)
        default: rawBody
        }
    }
}

/// RFC 2045 §6.7 decoding: `=XX` escapes, `=` at the end of a line is a soft break. Lines use `\n`.
func decodeQuotedPrintable(_ text: String) -> [UInt8] {
    var output: [UInt8] = []
    let lines = text.components(separatedBy: "\n")
    for (number, line) in lines.enumerated() {
        var bytes = Array(line.utf8)
        let soft = bytes.last == UInt8(ascii: "=")
        if soft { bytes.removeLast() }
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        if !soft && number < lines.count - 1 { output.append(UInt8(ascii: "\n")) }
    }
    return output
}

/// RFC 2047 decoding of `=?UTF-8?B?…?=` words; white space between two adjacent encoded-words is dropped.
func decodeEncodedWords(_ value: String) -> String {
    var result = ""
    var previousWasEncoded = false
    for (index, token) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
        if let decoded = decodeEncodedWord(String(token)) {
            if index > 0 && !previousWasEncoded { result += " " }
            result += decoded
            previousWasEncoded = true
        } else {
            if index > 0 { result += " " }
            result += token
            previousWasEncoded = false
        }
    }
    return result
}

/// One encoded-word, or nil when `token` is not one (or its payload is not complete UTF-8 on its own, which
/// RFC 2047 §5 requires of each word).
func decodeEncodedWord(_ token: String) -> String? {
    let prefix = "=?UTF-8?B?"
    guard token.uppercased().hasPrefix(prefix), token.hasSuffix("?="), token.count >= prefix.count + 2 else {
        return nil
    }
    let payload = String(token.dropFirst(prefix.count).dropLast(2))
    guard let data = Data(base64Encoded: payload) else { return nil }
    return String(data: data, encoding: .utf8)
}

/// The header lines of rendered bytes (up to the blank line), split on CRLF.
func headerLines(_ rendered: [UInt8]) -> [String] {
    let text = String(decoding: rendered, as: UTF8.self)
    let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
    return head.components(separatedBy: "\r\n")
}

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
