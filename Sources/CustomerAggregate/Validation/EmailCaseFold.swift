import Foundation

/// What "the same email address" means for uniqueness and for finding a customer by email: the whole address
/// (local part and domain) in NFC, then case-folded.
///
/// - ASCII addresses fold exactly as they always have (A–Z to a–z, nothing else), so the keys of existing stores'
///   email index stay byte for byte what they are: no migration, no rebuild.
/// - Other addresses get Unicode's full default case folding (the `C` and `F` mappings of CaseFolding.txt, as
///   Foundation's case-insensitive folding applies them without a locale): `ß` and `ẞ` fold to `ss`, so
///   `JÜRGEN.GROSS@example.de` and `jürgen.groß@example.de` are the same address; the Greek final sigma `ς` folds
///   to `σ` like `Σ`; the Turkish dotless `ı` stays `ı` and the dotted capital `İ` folds to `i` + U+0307, so
///   neither merges with a plain `i` (no Turkic special case: the store has no locale). The result is put in NFC
///   again, since folding may decompose.
///
/// Folding is stricter than any mail server (local parts are case-sensitive by the letter of RFC 5321, and
/// `straße.de`/`strasse.de` are different IDNA2008 domains): it may refuse a second customer whose address differs
/// only that way, never confuse two customers' mail.
public enum EmailCaseFold {
    public static func key(_ address: String) -> String {
        if address.utf8.allSatisfy({ $0 < 0x80 }) { return address.lowercased() }
        return address.precomposedStringWithCanonicalMapping
            .folding(options: .caseInsensitive, locale: nil)
            .precomposedStringWithCanonicalMapping
    }
}
