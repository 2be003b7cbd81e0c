import Foundation

extension String {
    /// Leading and trailing white space (Unicode spaces and line breaks) removed: what a user means by a value
    /// pasted from a web page or a spreadsheet.
    ///
    /// Written on Unicode scalars rather than with Foundation's `trimmingCharacters(in:)`, which bridges through
    /// NSString and was ~30 % of a batched create in the profile.
    func trimmed() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    /// Exactly `trimmingCharacters(in: .whitespaces)` (`.whitespacesAndNewlines` with `newlines`), without
    /// Foundation's NSString bridge for the usual value, which begins and ends with an ASCII character that is
    /// not blank: that bridge was a sixth of an import's instructions in the profile (every cell, every row).
    public func trimmingWhitespace(newlines: Bool = false) -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        func blank(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || (newlines && byte >= 0x0A && byte <= 0x0D)
        }
        if first < 0x80, last < 0x80, !blank(first), !blank(last) { return self }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }

    /// `nil` when the trimmed text is empty, so that `--phone ""` and a blank CSV cell mean "absent".
    func trimmedNonEmpty() -> String? {
        let value = trimmed()
        return value.isEmpty ? nil : value
    }

    /// True when any scalar is a control character (C0/C1, so CR, LF, TAB, NUL, ESC…) or a Unicode line or
    /// paragraph separator: everything that could end a mail header line or a CSV/terminal row early.
    var containsControlCharacters: Bool {
        // Fast path: printable ASCII has none (most names and emails).
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return false }
        return unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    var isASCIIDigits: Bool {
        !isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

extension String {
    /// The text with control characters spelled out (`\n`, `\t`, `\u{1B}`), and the bidirectional controls that
    /// reorder what a terminal shows (`\u{202E}`), for echoing user input or stored text in a one-line message
    /// without letting it break the line, drive the terminal or disguise itself.
    public var escapingControlCharacters: String {
        var result = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                let category = scalar.properties.generalCategory
                if category == .control || category == .lineSeparator || category == .paragraphSeparator
                    || scalar.isBidirectionalControl {
                    result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

extension Unicode.Scalar {
    /// The explicit bidirectional formatting characters (marks, embeddings, overrides, isolates).
    public var isBidirectionalControl: Bool {
        switch value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
