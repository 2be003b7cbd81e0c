/// Checks shared by every header value before it is encoded.
enum HeaderText {
    /// Refuses control characters (C0 including CR, LF and TAB, DEL, C1).
    ///
    /// CR and LF would start a new header line (header injection); the others are invisible, have no meaning in a
    /// name or subject, and some relays reject them. Refusing is safer than stripping: a stripped value is not
    /// what the caller asked to send.
    static func refuseControlCharacters(_ value: String, header: String, part: String) throws(MessageRenderingError) {
        for scalar in value.unicodeScalars where scalar.properties.generalCategory == .control {
            let name: String
            switch scalar {
            case "\r": name = "a carriage return (CR)"
            case "\n": name = "a line feed (LF)"
            case "\t": name = "a tab"
            default: name = "the control character U+\(String(scalar.value, radix: 16, uppercase: true))"
            }
            throw MessageRenderingError(header: header, problem: "\(part) contains \(name), which is not allowed")
        }
    }

    /// True when every scalar is printable ASCII (space included): such text can go into a header as is.
    static func isPrintableASCII<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// RFC 5322 `atext`: the characters of an atom, which need no quoting in a phrase or a msg-id.
    static let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".utf8)
}
