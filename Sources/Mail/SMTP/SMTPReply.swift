/// One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.
struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    let code: Int
    /// The text of each line, without the code and separator.
    let lines: [String]

    /// 2 = completed, 3 = go on (DATA's 354), 4 = transient failure, 5 = permanent failure.
    var category: Int { code / 100 }

    /// `250 first line / second line`: one line, for logs, errors and receipts.
    var description: String {
        let text = lines.filter { !$0.isEmpty }.joined(separator: " / ")
        return text.isEmpty ? String(code) : "\(code) \(text)"
    }
}

/// Assembles replies from the lines a server sends, enforcing the multi-line syntax: `250-…` lines continue a
/// reply, and the line with a space (or nothing) after the code ends it; every line repeats the same code.
struct SMTPReplyParser {
    enum Outcome: Equatable {
        case needMoreLines
        case complete(SMTPReply)
        case malformed(String)
    }

    /// A guard against a broken or hostile server streaming an endless reply into memory.
    static let maximumLines = 512

    private var code: Int?
    private var lines: [String] = []

    /// Feeds one line without its CRLF.
    mutating func consume(_ line: some Collection<UInt8>) -> Outcome {
        let bytes = Array(line)
        guard bytes.count >= 3, bytes[0..<3].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              bytes[0] >= UInt8(ascii: "2"), bytes[0] <= UInt8(ascii: "5")
        else {
            return .malformed("the line \"\(Self.printable(bytes))\" does not start with a reply code")
        }
        let lineCode = bytes[0..<3].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        if let code, code != lineCode {
            return .malformed("a multi-line reply changed its code from \(code) to \(lineCode)")
        }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            return .malformed("the line \"\(Self.printable(bytes))\" has no space or '-' after its reply code")
        }
        code = lineCode
        lines.append(Self.printable(bytes.dropFirst(4)))
        if separator == UInt8(ascii: "-") {
            return lines.count < Self.maximumLines
                ? .needMoreLines : .malformed("a reply has more than \(Self.maximumLines) lines")
        }
        let reply = SMTPReply(code: lineCode, lines: lines)
        self = SMTPReplyParser()
        return .complete(reply)
    }

    /// Server text ends up in error messages, events and terminals: decode leniently, drop control characters.
    private static func printable(_ bytes: some Collection<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.properties.generalCategory != .control }))
    }
}
