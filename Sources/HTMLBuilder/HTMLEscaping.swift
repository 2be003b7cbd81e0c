/// The five characters that can end text or a quoted attribute value, replaced by character references. Text and
/// attribute values use the same set, so one escaping fits both contexts.
enum HTMLEscaping {
    static func text(_ text: String) -> String { escape(text) }

    static func attribute(_ value: String) -> String { escape(value) }

    /// Works on the UTF-8 bytes: the five characters are ASCII, and no byte of a multi-byte sequence is ASCII, so
    /// byte-wise replacement is exact, and it skips grapheme breaking (most of the time of rendering a page).
    private static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: isSpecial) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output += "&amp;".utf8
            case UInt8(ascii: "<"): output += "&lt;".utf8
            case UInt8(ascii: ">"): output += "&gt;".utf8
            case UInt8(ascii: "\""): output += "&quot;".utf8
            case UInt8(ascii: "'"): output += "&#39;".utf8
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }
}
