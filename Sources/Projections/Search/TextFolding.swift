import Foundation

/// What "case-insensitive" means everywhere in the read side: the sort collation of the customer list and the
/// search index both compare these bytes, so a name sorts and matches the same way.
///
/// The fold is Unicode full lower-casing followed by NFC normalisation, as UTF-8. It is code-point order, not a
/// locale's collation (German and Swedish disagree about where "Å" goes, and the list must not depend on the
/// machine's locale); it is documented as such in the README. ASCII text, by far the common case, takes a
/// byte-wise fast path because the fold runs for every customer during a rebuild.
public enum TextFolding {
    public static func fold(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var isASCII = true
        for byte in text.utf8 {
            if byte >= 0x80 {
                isASCII = false
                break
            }
            bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        if isASCII { return bytes }
        let lowered = text.lowercased()
        // Below U+0300 (Latin-1, Latin Extended A/B: most European names) there are no combining marks and no
        // characters that NFC rewrites, and lower-casing them yields NFC text ("İ" → "i̇" has no precomposed
        // form), so the costly normalisation is skipped.
        if text.unicodeScalars.allSatisfy({ $0.value < 0x300 }) { return Array(lowered.utf8) }
        return Array(lowered.precomposedStringWithCanonicalMapping.utf8)
    }
}
