import Foundation

// Copied and trimmed from Tests/MailTests/Support/MIMEDecoding.swift: an independent reader of the messages under
// test (header unfolding, RFC 2047 B-words, quoted-printable), written from the RFCs rather than with the Mail
// module, so that the tests do not check the encoder against itself.

struct OutboxParsedMessage {
    let headers: [(name: String, value: String)]
    /// The raw body with `\n` line endings (a maildir written by Python uses `\n`; rendered bytes use CRLF).
    let rawBody: String
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let parts = text.components(separatedBy: "\n\n")
        rawBody = parts.dropFirst().joined(separator: "\n\n")
        var fields: [(String, String)] = []
        for line in (parts.first ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", let last = fields.popLast() {
                fields.append((last.0, last.1 + line))
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...].drop(while: { $0 == " " }))))
            }
        }
        headers = fields
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    func decodedHeader(_ name: String) -> String? { header(name).map(outboxDecodeEncodedWords) }

    var decodedBody: String {
        header("Content-Transfer-Encoding")?.lowercased() == "quoted-printable"
            ? String(decoding: outboxDecodeQuotedPrintable(rawBody), as: UTF8.self) : rawBody
    }

    /// The value of `token` in the first link of the body that starts with `prefix`.
    func token(inLinkStarting prefix: String) -> String? {
        guard let line = decodedBody.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
              let components = URLComponents(string: String(line)) else { return nil }
        return components.queryItems?.first { $0.name == "token" }?.value
    }
}

/// RFC 2045 §6.7: `=XX` escapes; `=` at the end of a line is a soft break. Lines use `\n`.
func outboxDecodeQuotedPrintable(_ text: String) -> [UInt8] {
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

/// RFC 2047 `=?UTF-8?B?…?=` words; white space between two adjacent encoded-words is dropped.
func outboxDecodeEncodedWords(_ value: String) -> String {
    var result = ""
    var previousWasEncoded = false
    for (index, token) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
        let prefix = "=?UTF-8?B?"
        if token.uppercased().hasPrefix(prefix), token.hasSuffix("?="), token.count >= prefix.count + 2,
           let data = Data(base64Encoded: String(token.dropFirst(prefix.count).dropLast(2))),
           let decoded = String(data: data, encoding: .utf8) {
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
