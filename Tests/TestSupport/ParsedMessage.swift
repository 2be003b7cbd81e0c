import Foundation

/// An independent reader for the messages under test (rendered bytes, `.eml` files, a maildir's files): header
/// unfolding, RFC 2047 words, quoted-printable bodies. Written from the RFCs rather than by calling the `Mail`
/// module, so that the tests do not check the encoder against itself.
public struct ParsedMessage: Sendable {
    /// Header fields in order, values unfolded (CRLF before white space removed), leading space trimmed.
    public let headers: [(name: String, value: String)]
    /// The raw body with `\n` line endings (a maildir written by Python uses `\n`; rendered bytes use CRLF).
    public let rawBody: String

    /// Parses a whole message; CRLF and LF line endings are both accepted.
    public init(_ bytes: [UInt8]) {
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

    /// The first field called `name` (case-insensitive), as it stands (encoded-words not decoded).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The first field called `name` with its RFC 2047 encoded-words decoded.
    public func decodedHeader(_ name: String) -> String? {
        header(name).map(decodeEncodedWords)
    }

    /// The body after undoing its Content-Transfer-Encoding, with `\n` line endings.
    public var decodedBody: String {
        switch header("Content-Transfer-Encoding")?.lowercased() {
        case "quoted-printable": String(decoding: decodeQuotedPrintable(rawBody), as: UTF8.self)
        default: rawBody
        }
    }
}

/// The header lines of rendered bytes (up to the blank line), split on CRLF and not unfolded: for checking what
/// the renderer wrote line by line.
public func headerLines(_ rendered: [UInt8]) -> [String] {
    let text = String(decoding: rendered, as: UTF8.self)
    let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
    return head.components(separatedBy: "\r\n")
}
