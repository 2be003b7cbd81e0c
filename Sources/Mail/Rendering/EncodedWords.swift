import Foundation

/// RFC 2047 encoded-words (`=?UTF-8?B?…?=`) for non-ASCII display names and subjects.
///
/// B (base64) rather than Q: every byte costs the same, there is no list of characters that are special in one
/// header context and not in another, and decoders handle it universally.
enum EncodedWords {
    private static let prefix = "=?UTF-8?B?"
    private static let suffix = "?="

    /// RFC 2047 §2: an encoded-word is at most 75 characters.
    static let maximumLength = 75

    /// Encodes `text` as a list of encoded-words, to be joined by folding white space.
    ///
    /// Each word holds whole characters (RFC 2047 §5 forbids splitting a UTF-8 sequence across words; we keep
    /// grapheme clusters together too, so a decoder that shows words one by one never shows half an "ë").
    /// - Parameter firstMaximumLength: room for the first word on the header's first line, which also holds
    ///   `Name: `; the remaining words each start a continuation line and get the full 75 characters.
    static func encode(_ text: String, firstMaximumLength: Int) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = payloadBytes(forWordLength: firstMaximumLength)

        func flush() {
            guard !chunk.isEmpty else { return }
            words.append(prefix + Data(chunk).base64EncodedString() + suffix)
            chunk.removeAll(keepingCapacity: true)
            limit = payloadBytes(forWordLength: maximumLength)
        }
        func append(_ bytes: some Collection<UInt8>) {
            if chunk.count + bytes.count > limit { flush() }
            chunk.append(contentsOf: bytes)
        }

        for character in text {
            let bytes = Array(character.utf8)
            if bytes.count <= payloadBytes(forWordLength: maximumLength) {
                append(bytes)
            } else {
                // A pathological cluster (dozens of combining marks) cannot fit one word: fall back to scalar
                // boundaries, which RFC 2047 still allows.
                for scalar in character.unicodeScalars { append(Array(String(scalar).utf8)) }
            }
        }
        flush()
        return words
    }

    /// How many UTF-8 bytes fit in a word of `length` characters: 12 are taken by `=?UTF-8?B?` and `?=`, and
    /// base64 turns every 3 bytes into 4 characters.
    private static func payloadBytes(forWordLength length: Int) -> Int {
        let base64Characters = max(length - prefix.count - suffix.count, 4) / 4 * 4
        return base64Characters / 4 * 3
    }
}
