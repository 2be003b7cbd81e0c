import Foundation

/// The shape check for customer email addresses: `local@domain.tld`, ASCII or internationalised (RFC 6531/6532:
/// UTF-8 in the local part and the domain, e.g. `jürgen.groß@example.de`, `info@müller.de`).
///
/// Deliberately a practical subset of RFC 5322, not the whole grammar: no quoted local parts, comments or IP
/// literals, because such addresses would also need quoting in every header and URL we build. Non-ASCII letters
/// and digits are allowed, non-ASCII punctuation, symbols, white space and control characters never are.
public enum EmailAddress {
    /// RFC 5321 §4.5.3.1.3 limits a path to 256 octets including `<` and `>`: 254 for the address itself.
    public static let maximumAddressBytes = 254

    /// The form an address is stored and compared in: Unicode NFC (canonical composition), so that `u` followed by
    /// a combining diaeresis and the precomposed `ü` are the same address, as RFC 6532 §3.1 asks. ASCII is
    /// returned unchanged (NFC never changes it).
    public static func normalized(_ address: String) -> String {
        if address.utf8.allSatisfy({ $0 < 0x80 }) { return address }
        return address.precomposedStringWithCanonicalMapping
    }

    /// Characters RFC 5322 allows unquoted in a local part besides letters and digits.
    private static let localSymbols: Set<Character> = [
        "!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?", "^", "_", "`", "{", "|", "}", "~", ".",
    ]

    /// Exactly one `@`; a local part of letters, digits and RFC 5322 symbols without a leading, trailing or double
    /// dot; a domain of at least two non-empty dot-separated labels of letters, digits and inner hyphens.
    public static func isValid(_ address: String) -> Bool {
        if address.utf8.allSatisfy({ $0 < 0x80 }) { return isValidASCII(address.utf8) }
        // Invisible scalars hide inside a letter's grapheme cluster (a zero-width joiner after `a` is still "a
        // letter"): refused one by one, as the mail side refuses them in an envelope.
        guard !address.unicodeScalars.contains(where: isInvisible) else { return false }
        let halves = address.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return false }
        return isValidLocalPart(halves[0]) && isValidDomain(halves[1])
    }

    /// The same rules on bytes, for the common all-ASCII address (Character classification is slow).
    private static func isValidASCII(_ bytes: String.UTF8View) -> Bool {
        let at = UInt8(ascii: "@"), dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        let halves = bytes.split(separator: at, omittingEmptySubsequences: false)
        guard halves.count == 2 else { return false }
        let local = halves[0], domain = halves[1]
        guard !local.isEmpty, local.first != dot, local.last != dot,
              !zip(local, local.dropFirst()).contains(where: { $0 == dot && $1 == dot })
        else { return false }
        let localSymbolBytes = Set(localSymbols.compactMap { $0.asciiValue })
        guard local.allSatisfy({ isASCIIAlphanumeric($0) || localSymbolBytes.contains($0) }) else { return false }
        let labels = domain.split(separator: dot, omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.first != hyphen && label.last != hyphen
                && label.allSatisfy { isASCIIAlphanumeric($0) || $0 == hyphen }
        }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isValidLocalPart(_ local: Substring) -> Bool {
        guard !local.isEmpty, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return false
        }
        return local.allSatisfy { isWordCharacter($0) || localSymbols.contains($0) }
    }

    private static func isValidDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { isWordCharacter($0) || $0 == "-" }
        }
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator: return true
        default: return false
        }
    }

    /// ASCII letters and digits, and non-ASCII letters and digits (but no non-ASCII punctuation or spaces).
    private static func isWordCharacter(_ character: Character) -> Bool {
        if character.isASCII {
            return character.isLetter || character.isNumber
        }
        return (character.isLetter || character.isNumber) && !String(character).containsControlCharacters
    }
}
