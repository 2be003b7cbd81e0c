/// Quoted-printable (RFC 2045 §6.7) for the text body; see `BodyEncoding` for why it is the default.
enum QuotedPrintable {
    /// RFC 2045: encoded lines are at most 76 characters, the soft line break's `=` included.
    static let maximumLineLength = 76

    /// Encodes one line of text (without its line break) into one or more lines, each followed by CRLF.
    ///
    /// Printable ASCII except `=` stays literal; `=` and every other byte become `=XX` (uppercase hex, as RFC 2045
    /// requires). Spaces and tabs stay literal except at the very end of the line, where relays may strip them,
    /// so there they are encoded. Escapes are never split by a soft line break. A leading `.` is kept: SMTP's
    /// dot-stuffing (RFC 5321 §4.5.2) protects it on the wire, and the file transport needs no protection.
    static func encodeLine(_ line: some Collection<UInt8>, into output: inout [UInt8]) {
        var lineLength = 0
        var index = line.startIndex
        while index != line.endIndex {
            let byte = line[index]
            index = line.index(after: index)
            let isLast = index == line.endIndex
            let literal = isLiteral(byte) || (!isLast && (byte == space || byte == tab))
            let width = literal ? 1 : 3
            // The last token may use the 76th column; any other needs to leave room for the soft break's "=".
            let limit = isLast ? maximumLineLength : maximumLineLength - 1
            if lineLength + width > limit {
                output.append(contentsOf: [equals, cr, lf])
                lineLength = 0
            }
            if literal {
                output.append(byte)
            } else {
                output.append(equals)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
            lineLength += width
        }
        output.append(contentsOf: [cr, lf])
    }

    private static func isLiteral(_ byte: UInt8) -> Bool {
        (byte >= 33 && byte <= 126) && byte != equals
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let equals = UInt8(ascii: "=")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
}
