import Foundation

/// Turns the text of a setting into its canonical value, or `nil` when it is not of the expected form.
///
/// Shared by `SettingsDecider` (which refuses bad input) and `StoreSettings.applying` (which must agree with it
/// on replay), so that the two can never drift apart.
enum SettingValueParser {
    /// Letters are upper-cased, because references are (see `CustomerReference`).
    static func referencePrefix(_ text: String) -> String? {
        let value = text.trimmed()
        return CustomerReference.isValidPrefix(value) ? value.uppercased() : nil
    }

    /// Comma-separated `ll_CC`, each canonicalised; repeats are dropped (keeping the first), an empty list is not
    /// a list of locales.
    static func locales(_ text: String) -> [String]? {
        var result: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let locale = locale(String(part)) else { return nil }
            if !result.contains(locale) { result.append(locale) }
        }
        return result.isEmpty ? nil : result
    }

    /// `ll_CC`: two ASCII letters, `_`, two ASCII letters; returned as lower_UPPER (`DE_de` → `de_DE`).
    static func locale(_ text: String) -> String? {
        let value = text.trimmed()
        let parts = value.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.utf8.count == 2 && $0.utf8.allSatisfy(isASCIILetter) }) else {
            return nil
        }
        return parts[0].lowercased() + "_" + parts[1].uppercased()
    }

    /// `http(s)://host[:port][/path]`, no user info, query, fragment or white space. The scheme and host are
    /// lower-cased and trailing slashes removed, so that mail links are `<base-url>/register/confirm?…` with
    /// exactly one slash.
    static func baseURL(_ text: String) -> String? {
        let value = text.trimmed()
        guard !value.isEmpty, !value.containsControlCharacters,
              !value.unicodeScalars.contains(where: { $0.properties.isWhitespace }),
              !value.contains("?"), !value.contains("#")
        else { return nil }
        let lowered = value.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") {
            scheme = "https"
        } else if lowered.hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        let rest = value.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let hostAndPort = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = hostAndPort.first, !host.isEmpty, hostAndPort.count <= 2 else { return nil }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        if hostAndPort.count == 2 {
            let port = String(hostAndPort[1])
            guard port.isASCIIDigits, port.count <= 5, let number = Int(port), (1...65_535).contains(number) else {
                return nil
            }
        }
        while path.hasSuffix("/") { path.removeLast() }
        let canonical = "\(scheme)://\(authority.lowercased())\(path)"
        guard URL(string: canonical) != nil else { return nil }
        return canonical
    }

    /// `Name <address>`: a non-empty display name without control characters, quotes or angle brackets (one pair
    /// of surrounding quotes, as mail clients write them, is dropped), and an address with one `@` between
    /// non-empty parts (a dot is not required: `no-reply@localhost` is the default). The Mail module quotes or
    /// encodes the name as RFC 5322 needs.
    static func sender(_ text: String) -> String? {
        let value = text.trimmed()
        guard value.hasSuffix(">"), let open = value.lastIndex(of: "<") else { return nil }
        var name = String(value[value.startIndex..<open]).trimmed()
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).trimmed()
        }
        let address = String(value[value.index(after: open)..<value.index(before: value.endIndex)])
        guard !name.isEmpty, !name.containsControlCharacters,
              !name.contains(where: { $0 == "<" || $0 == ">" || $0 == "\"" })
        else { return nil }
        let halves = address.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2, halves.allSatisfy({ !$0.isEmpty }), !address.containsControlCharacters,
              !address.unicodeScalars.contains(where: { $0.properties.isWhitespace }),
              !address.contains(where: { "<>,;\"()[]\\".contains($0) })
        else { return nil }
        return "\(name) <\(address)>"
    }

    /// 1…`StoreSettings.maximumDeliveryAttempts`, plain decimal digits.
    static func deliveryMaxAttempts(_ text: String) -> Int? {
        let value = text.trimmed()
        guard value.isASCIIDigits, value.count <= 4, let number = Int(value),
              (1...StoreSettings.maximumDeliveryAttempts).contains(number)
        else { return nil }
        return number
    }

    /// A duration from 1 s to 1 d: a lease shorter than a send cannot be held, a longer one would stall a crashed
    /// dispatcher's emails for days.
    static func deliveryLease(_ text: String) -> TimeInterval? {
        guard let seconds = StoreSettings.parseDuration(text), seconds <= 86_400 else { return nil }
        return seconds
    }

    /// `auto`, or a host name of dot-separated labels (letters, digits, `-`; no label starting or ending with `-`),
    /// at most 253 characters, lower-cased: it goes into the EHLO command line as it is.
    static func heloName(_ text: String) -> String? {
        let value = text.trimmed().lowercased()
        if value == StoreSettings.automaticHeloName { return value }
        guard !value.isEmpty, value.utf8.count <= 253 else { return nil }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        let valid = labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { isASCIILetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") }
        }
        return valid ? value : nil
    }

    /// `true` / `false` (any case; also `yes`/`no`, `on`/`off`, `1`/`0`, since people type those).
    static func boolean(_ text: String) -> Bool? {
        switch text.trimmed().lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: return nil
        }
    }

    /// 1…`StoreSettings.maximumSignInFailures`, plain decimal digits.
    static func signInMaxFailures(_ text: String) -> Int? {
        let value = text.trimmed()
        guard value.isASCIIDigits, value.count <= 4, let number = Int(value),
              (1...StoreSettings.maximumSignInFailures).contains(number)
        else { return nil }
        return number
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
