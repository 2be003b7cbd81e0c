/// Writes one header field, folding long values onto continuation lines (RFC 5322 §2.2.3).
enum HeaderFolding {
    /// RFC 5322 §2.1.1 asks for lines of at most 78 characters; RFC 2047 §2 limits lines that carry encoded-words
    /// to 76.
    static let plainWidth = 78
    static let encodedWidth = 76

    /// Joins `words` with single spaces into `Name: value` and inserts CRLF before a space wherever the line would
    /// grow past `width`. Folding only ever happens at a space that is in the value anyway, so unfolding restores
    /// it exactly. A word longer than the width stays whole (lines may reach RFC 5322's hard limit of 998).
    /// Empty words (from runs of spaces) are never folded before, so no line consists only of white space.
    static func field(_ name: String, words: [String], width: Int) -> String {
        var output = name + ":"
        var lineLength = output.count
        var lineHasWord = false
        for word in words {
            if !word.isEmpty, lineHasWord, lineLength + 1 + word.count > width {
                output += "\r\n"
                lineLength = 0
            }
            output += " " + word
            lineLength += 1 + word.count
            lineHasWord = lineHasWord || !word.isEmpty
        }
        return output + "\r\n"
    }

    /// Room left for the first word on the first line: `Name: ` is already there.
    static func firstWordRoom(for name: String, width: Int) -> Int {
        width - name.count - 2
    }
}
