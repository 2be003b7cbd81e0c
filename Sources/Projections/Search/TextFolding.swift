import Foundation

/// What "case- and accent-insensitive" means everywhere in the read side: the search index and the first level
/// of the list's sort collation compare these bytes, so a name sorts and matches the same way.
///
/// `fold` (the primary level) is Unicode full lower-casing, then canonical decomposition without the combining
/// diacritical marks (U+0300–U+036F), then the letters that have no decomposition spelled with their base
/// letters (ß → ss, æ → ae, ø → o, œ → oe, þ → th, ð/đ → d, ł → l, …), recomposed (NFC), as UTF-8: "Müller"
/// folds to "muller", "Ångström" to "angstrom". `lowercased` (the second level, which orders "Muller" before
/// "Müller") is lower-casing and NFC only. Neither depends on the machine's locale (German and Swedish disagree
/// about where "Å" goes; the list must not). Both run for every customer during a rebuild, so text made only
/// of scalars below U+0300 (ASCII and the Latin-1, Latin Extended-A/B letters of most European names) is folded
/// byte by byte from a table; only other text goes through `String`.
public enum TextFolding {
    public static func fold(_ text: String) -> [UInt8] {
        fold(text, table: baseTable, general: foldThroughString)
    }

    /// The second level of the collation: lower-cased and NFC, accents kept.
    public static func lowercased(_ text: String) -> [UInt8] {
        fold(text, table: lowerTable, general: lowercaseThroughString)
    }

    private static func fold(_ text: String, table: [UInt64], general: (String) -> [UInt8]) -> [UInt8] {
        var text = text
        let fast: [UInt8]? = text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, !utf8.isEmpty else { return [] }
            var folded = true
            let bytes = [UInt8](unsafeUninitializedCapacity: maximumFoldedCount(utf8.count)) { buffer, count in
                if let written = foldLatin(base, utf8.count, into: buffer.baseAddress!, table: table) {
                    count = written
                } else {
                    count = 0
                    folded = false
                }
            }
            return folded ? bytes : nil
        }
        return fast ?? general(text)
    }

    /// The room `foldLatin` may need for `count` bytes.
    @inline(__always)
    static func maximumFoldedCount(_ count: Int) -> Int { 2 * count }

    /// Folds `count` bytes of UTF-8 into `target` (room for `maximumFoldedCount(count)` bytes) with `table`
    /// (`baseTable` for `fold`, `lowerTable` for `lowercased`) and returns the number of bytes written — or nil,
    /// having written garbage, when the text is not valid UTF-8 made only of scalars below U+0300 (then use
    /// `foldThroughString` / `lowercaseThroughString`, after checking it with `isValidUTF8`).
    ///
    /// Below U+0300 there are no combining marks and no characters that NFC rewrites, and `String.lowercased()`
    /// maps each scalar on its own; so either fold is the concatenation of each scalar's own folding, which the
    /// tables hold (made by the general functions themselves, one scalar at a time).
    @inline(__always)
    static func foldLatin(
        _ source: UnsafePointer<UInt8>, _ count: Int, into target: UnsafeMutablePointer<UInt8>, table: [UInt64]
    ) -> Int? {
        var read = 0
        var written = 0
        while read < count {
            if count - read >= 8 {
                // Eight ASCII bytes at once: set bit 5 of those in 'A'…'Z' (b + 0x3F ≥ 0x80 ⇔ b ≥ 'A',
                // b + 0x25 ≥ 0x80 ⇔ b > 'Z'; no carry crosses a byte below 0x80).
                let word = UnsafeRawPointer(source + read).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    let upper = (word &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(word &+ 0x2525_2525_2525_2525) & 0x8080_8080_8080_8080
                    UnsafeMutableRawPointer(target + written).storeBytes(of: word | (upper >> 2), as: UInt64.self)
                    read += 8
                    written += 8
                    continue
                }
            }
            let byte = source[read]
            if byte < 0x80 {
                target[written] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                read += 1
                written += 1
                continue
            }
            // Two-byte sequences C2 80 … CB BF are U+0080 … U+02FF; anything else takes the String path.
            guard byte >= 0xC2, byte <= 0xCB, read + 1 < count else { return nil }
            let next = source[read + 1]
            guard next & 0xC0 == 0x80 else { return nil }
            let scalar = Int(byte & 0x1F) << 6 | Int(next & 0x3F)
            let mapping = table[scalar]
            let length = Int(mapping & 0xFF)
            var bytes = mapping >> 8
            for offset in 0..<length {
                target[written + offset] = UInt8(truncatingIfNeeded: bytes)
                bytes >>= 8
            }
            read += 2
            written += length
        }
        return written
    }

    /// `fold` of every scalar below U+0300 as (UTF-8 bytes << 8 | byte count).
    static let baseTable: [UInt64] = table(foldThroughString)
    /// `lowercased` of every scalar below U+0300, likewise.
    static let lowerTable: [UInt64] = table(lowercaseThroughString)

    /// Each folding of a two-byte scalar is at most four bytes (checked here).
    private static func table(_ folding: (String) -> [UInt8]) -> [UInt64] {
        (0..<0x300).map { value in
            let folded = folding(String(Character(Unicode.Scalar(UInt32(value))!)))
            precondition(folded.count <= 4, "folding of U+\(String(value, radix: 16)) is longer than expected")
            var packed: UInt64 = 0
            for byte in folded.reversed() { packed = packed << 8 | UInt64(byte) }
            return packed << 8 | UInt64(folded.count)
        }
    }

    /// Letters without a canonical decomposition, spelled with their base letters (after lower-casing): the
    /// Latin-1 Supplement's and Latin Extended-A's, as the Unicode Collation Algorithm's default table orders
    /// them among the base letters (ß with "ss", æ with "ae", ø with "o", þ with "th").
    static let expansions: [Unicode.Scalar: String] = [
        "\u{DF}": "ss", "\u{E6}": "ae", "\u{F0}": "d", "\u{F8}": "o", "\u{FE}": "th", "\u{111}": "d",
        "\u{127}": "h", "\u{131}": "i", "\u{133}": "ij", "\u{138}": "k", "\u{140}": "l", "\u{142}": "l",
        "\u{149}": "n", "\u{14B}": "n", "\u{153}": "oe", "\u{167}": "t", "\u{17F}": "s",
    ]

    /// The general `fold` (see the type's comment).
    static func foldThroughString(_ text: String) -> [UInt8] {
        var result = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if (0x300...0x36F).contains(scalar.value) { continue }
            if let expansion = expansions[scalar] {
                result.append(contentsOf: expansion.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return Array(String(result).precomposedStringWithCanonicalMapping.utf8)
    }

    /// The general `lowercased`: lower-casing, then NFC unless every scalar is below U+0300 (see `foldLatin`).
    static func lowercaseThroughString(_ text: String) -> [UInt8] {
        let lowered = text.lowercased()
        if text.unicodeScalars.allSatisfy({ $0.value < 0x300 }) { return Array(lowered.utf8) }
        return Array(lowered.precomposedStringWithCanonicalMapping.utf8)
    }

    /// Whether `count` bytes are well-formed UTF-8 (so that `String(decoding:)` keeps them unchanged).
    static func isValidUTF8(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard count - index >= length else { return false }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return false }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}
