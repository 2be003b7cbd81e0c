/// The five characters that can end text or a quoted attribute value, replaced by character references. Text and
/// attribute values use the same set, so one escaping fits both contexts.
enum HTMLEscaping {
    static func text(_ text: String) -> String { escape(text) }

    static func attribute(_ value: String) -> String { escape(value) }

    private static func escape(_ text: String) -> String {
        guard text.contains(where: { "&<>\"'".contains($0) }) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }
}
