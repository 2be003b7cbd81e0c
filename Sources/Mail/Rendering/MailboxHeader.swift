/// Writes a `From:`/`To:` field: `Name <address>`, with the name as atoms, a quoted-string or encoded-words.
enum MailboxHeader {
    static func field(_ name: String, _ mailbox: Mailbox) throws(MessageRenderingError) -> String {
        if let problem = AddressSyntax.problem(with: mailbox.address) {
            throw MessageRenderingError(header: name, problem: "address \"\(mailbox.address)\" \(problem)")
        }
        let displayName = (mailbox.displayName ?? "").trimmingSpaces()
        try HeaderText.refuseControlCharacters(displayName, header: name, part: "display name")
        if displayName.isEmpty {
            return HeaderFolding.field(name, words: [mailbox.address], width: HeaderFolding.plainWidth)
        }
        let angleAddress = "<\(mailbox.address)>"
        // Text that looks like an encoded-word (`=?…?=`) is encoded as a whole, as the Subject is: a quoted-string
        // would be correct by RFC 2047, but common mail clients decode encoded-words even inside quotes.
        if !HeaderText.isPrintableASCII(displayName) || displayName.contains("=?") {
            let room = HeaderFolding.firstWordRoom(for: name, width: HeaderFolding.encodedWidth)
            let words = EncodedWords.encode(displayName, firstMaximumLength: room)
            return HeaderFolding.field(name, words: words + [angleAddress], width: HeaderFolding.encodedWidth)
        }
        if isPlainPhrase(displayName) {
            let atoms = displayName.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            return HeaderFolding.field(name, words: atoms + [angleAddress], width: HeaderFolding.plainWidth)
        }
        return HeaderFolding.field(name, words: [quoted(displayName), angleAddress], width: HeaderFolding.plainWidth)
    }

    /// A name made of atoms separated by single spaces (`Jane Doe`, `O'Brien`) needs no quotes. Anything with a
    /// special (`.`, `,`, `"`, `@`, …) is quoted, and so is a name with a run of spaces: between atoms, white space
    /// is folding white space, which readers collapse to one space; inside quotes it is kept.
    private static func isPlainPhrase(_ text: String) -> Bool {
        !text.contains("  ") && text.utf8.allSatisfy { $0 == UInt8(ascii: " ") || HeaderText.atext.contains($0) }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }
}
