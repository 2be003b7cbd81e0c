/// Turns an `EmailMessage` into the bytes of an RFC 5322 message: CRLF line endings, ASCII-only headers (non-ASCII
/// text as RFC 2047 encoded-words), and a UTF-8 `text/plain` body, quoted-printable unless asked otherwise.
///
/// Rendering is pure and deterministic: the same message always gives the same bytes, which is what makes
/// at-least-once redelivery idempotent (the file transport overwrites the same file with the same content).
public enum MessageRenderer {
    public static func render(
        _ message: EmailMessage, bodyEncoding: BodyEncoding = .quotedPrintable
    ) throws(MessageRenderingError) -> [UInt8] {
        var head = ""
        head += HeaderFolding.field("Date", words: [RFC5322Date.format(message.date)], width: HeaderFolding.plainWidth)
        head += try MailboxHeader.field("From", message.from)
        head += try MailboxHeader.field("To", message.to)
        head += try subjectField(message.subject)
        head += try messageIDField(message.messageID)
        head += "MIME-Version: 1.0\r\n"
        head += "Content-Type: text/plain; charset=utf-8\r\n"

        var output = Array(head.utf8)
        output.reserveCapacity(output.count + message.textBody.utf8.count * 11 / 10 + 128)
        BodyWriter.write(message.textBody, encoding: bodyEncoding, into: &output)
        return output
    }

    private static func subjectField(_ subject: String) throws(MessageRenderingError) -> String {
        try HeaderText.refuseControlCharacters(subject, header: "Subject", part: "text")
        // `=?` in plain text would be taken for an encoded-word by readers; encoding the whole value avoids that.
        if HeaderText.isPrintableASCII(subject), !subject.contains("=?") {
            let words = subject.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            return HeaderFolding.field("Subject", words: words, width: HeaderFolding.plainWidth)
        }
        let room = HeaderFolding.firstWordRoom(for: "Subject", width: HeaderFolding.encodedWidth)
        let words = EncodedWords.encode(subject, firstMaximumLength: room)
        return HeaderFolding.field("Subject", words: words, width: HeaderFolding.encodedWidth)
    }

    /// RFC 5322 §3.6.4: `msg-id = "<" id-left "@" id-right ">"`; both sides are checked as dot-atom text.
    private static func messageIDField(_ messageID: String) throws(MessageRenderingError) -> String {
        try HeaderText.refuseControlCharacters(messageID, header: "Message-ID", part: "value")
        let sides = messageID.split(separator: "@", omittingEmptySubsequences: false)
        let isDotAtomText: (Substring) -> Bool = { side in
            !side.isEmpty && side.first != "." && side.last != "." && !side.contains("..")
                && side.utf8.allSatisfy { $0 == UInt8(ascii: ".") || HeaderText.atext.contains($0) }
        }
        guard sides.count == 2, isDotAtomText(sides[0]), isDotAtomText(sides[1]) else {
            throw MessageRenderingError(
                header: "Message-ID",
                problem: "value \"\(messageID)\" is not of the form left@right (letters, digits, . - _ and the "
                    + "other RFC 5322 atom characters, written without angle brackets)"
            )
        }
        return "Message-ID: <\(messageID)>\r\n"
    }
}
