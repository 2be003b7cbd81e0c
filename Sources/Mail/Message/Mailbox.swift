/// One RFC 5322 mailbox: an optional display name and an address, e.g. `Shop <no-reply@localhost>`.
///
/// The value holds text as the application knows it (unquoted, not encoded); `MessageRenderer` decides how to
/// quote or RFC 2047-encode the name and refuses values that would break the header.
public struct Mailbox: Sendable, Equatable {
    public var displayName: String?
    public var address: String

    public init(displayName: String? = nil, address: String) {
        self.displayName = displayName
        self.address = address
    }

    /// Parses `Name <address>`, `"Quoted, Name" <address>`, `<address>` or a bare `address`.
    ///
    /// Returns nil when the text has no plausible address (no single `@` with text on both sides, spaces or
    /// angle brackets inside it, control characters) or stray text after the closing `>`.
    /// It is meant for configuration values such as the store's `sender` setting, not for arbitrary mail headers:
    /// comments, groups and address lists are not supported.
    public static func parse(_ text: String) -> Mailbox? {
        let trimmed = text.trimmingSpaces()
        guard let open = trimmed.lastIndex(of: "<") else {
            return AddressSyntax.isPlausible(trimmed) ? Mailbox(address: trimmed) : nil
        }
        guard trimmed.last == ">" else { return nil }
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        guard AddressSyntax.isPlausible(address) else { return nil }
        guard let name = parseDisplayName(trimmed[..<open].trimmingSpaces()) else { return nil }
        return Mailbox(displayName: name.isEmpty ? nil : name, address: address)
    }

    /// Unquotes a quoted-string display name (`"Doe, Jane"`, with `\"` and `\\` escapes); other names are kept as
    /// written. Returns nil for an unterminated quote or control characters.
    private static func parseDisplayName(_ raw: String) -> String? {
        guard !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        guard raw.first == "\"" else { return raw }
        guard raw.count >= 2, raw.last == "\"" else { return nil }
        var result = ""
        var escaping = false
        for character in raw.dropFirst().dropLast() {
            if escaping {
                result.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                return nil
            } else {
                result.append(character)
            }
        }
        return escaping ? nil : result.trimmingSpaces()
    }
}

extension String {
    /// Trims spaces and tabs only; Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` would also eat
    /// CR/LF, hiding exactly the characters the renderer must see and refuse.
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}

extension Substring {
    func trimmingSpaces() -> String { String(self).trimmingSpaces() }
}
