/// Who says they are acting (`--actor`), as recorded in every event and printed by `history` and `audit`: 1 to
/// `maximumLength` printable characters, so that a stored actor can neither forge a line of output nor drive the
/// next reader's terminal (no control, format or bidirectional characters, no line separators).
public enum ActorName {
    public static let maximumLength = 100

    /// What is wrong with `text` as an actor name, or nil when it is fine.
    public static func problem(_ text: String) -> String? {
        if text.allSatisfy(\.isWhitespace) { return "must not be empty" }
        if text.count > maximumLength { return "must be at most \(maximumLength) characters, got \(text.count)" }
        if let bad = text.unicodeScalars.first(where: { !isPrintable($0) }) {
            return "must be printable text: U+\(String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)) is a control or formatting character"
        }
        return nil
    }

    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return false
        default: return true
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
