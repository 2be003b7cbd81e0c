/// Frames a rendered message for the SMTP DATA phase (RFC 5321 §4.5.2).
enum DotStuffing {
    /// Returns the bytes to send after `354`: every line ending normalised to CRLF, a `.` doubled at the start of
    /// each line, a final CRLF if the message lacked one, and the terminating `.` CRLF.
    ///
    /// Normalising bare CR and LF matters beyond tidiness: servers disagree on what a bare LF before `.` means,
    /// and that disagreement is what "SMTP smuggling" exploits to hide a second message inside the first. With
    /// only CRLF on the wire, `CRLF . CRLF` appears exactly once, at the end.
    static func frame(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 64 + 8)
        var atLineStart = true
        var index = 0
        while index < message.count {
            let byte = message[index]
            index += 1
            switch byte {
            case cr, lf:
                // CRLF, a lone CR and a lone LF all end one line.
                if byte == cr, index < message.count, message[index] == lf { index += 1 }
                output += [cr, lf]
                atLineStart = true
            default:
                if atLineStart && byte == dot { output.append(dot) }
                output.append(byte)
                atLineStart = false
            }
        }
        if !atLineStart { output += [cr, lf] }
        output += [dot, cr, lf]
        return output
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let dot = UInt8(ascii: ".")
}
