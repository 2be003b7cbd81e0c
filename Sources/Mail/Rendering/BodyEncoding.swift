/// How `MessageRenderer` writes the text body (the `Content-Transfer-Encoding`).
public enum BodyEncoding: Sendable, Equatable {
    /// The default: quoted-printable (RFC 2045 §6.7). 7-bit clean, so any relay accepts it, and mostly readable
    /// for our mostly-ASCII prose (base64 would make every body unreadable and 33% larger). The price: `=` is
    /// written `=3D` and long lines are soft-broken, so the link is not greppable in the raw file; read bodies
    /// through a MIME decoder.
    case quotedPrintable
    /// The UTF-8 text as is (`7bit` when it is ASCII, `8bit` otherwise): the raw `.eml` shows the link exactly as
    /// sent. `SMTPTransport` announces it with `BODY=8BITMIME` (RFC 6152) and falls back to quoted-printable for
    /// a relay without that extension. A body with a line over 998 bytes (RFC 5322's hard limit) is written
    /// quoted-printable regardless.
    case eightBit
}

/// The body section: the header lines that describe it and the encoded lines.
enum BodyWriter {
    static let maximumEightBitLineLength = 998

    /// Appends `Content-Transfer-Encoding`, the blank line ending the header, and the body lines.
    static func write(_ body: String, encoding: BodyEncoding, into output: inout [UInt8]) {
        let lines = lines(of: body)
        let useEightBit = encoding == .eightBit && lines.allSatisfy { $0.count <= maximumEightBitLineLength }
        guard useEightBit else {
            output += Array("Content-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            for line in lines { QuotedPrintable.encodeLine(line, into: &output) }
            return
        }
        let isASCII = lines.allSatisfy { line in line.allSatisfy { $0 < 0x80 } }
        output += Array("Content-Transfer-Encoding: \(isASCII ? "7bit" : "8bit")\r\n\r\n".utf8)
        for line in lines {
            output += line
            output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        }
    }

    /// The body's lines as UTF-8, whatever line endings the text used (CRLF, LF or a lone CR); a final line break
    /// does not add an empty line.
    static func lines(of body: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(body.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                lines.append(bytes[start..<index])
                let isCRLF = byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")
                index += isCRLF ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }
}
