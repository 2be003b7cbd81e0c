import Foundation

/// RFC 2047 decoding of a header value's `=?UTF-8?B?…?=` words; white space between two adjacent encoded-words
/// is dropped, other text is kept as it is. Written from the RFC, independent of the `Mail` module's encoder.
public func decodeEncodedWords(_ value: String) -> String {
    var result = ""
    var previousWasEncoded = false
    for (index, token) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
        if let decoded = decodeEncodedWord(String(token)) {
            if index > 0 && !previousWasEncoded { result += " " }
            result += decoded
            previousWasEncoded = true
        } else {
            if index > 0 { result += " " }
            result += token
            previousWasEncoded = false
        }
    }
    return result
}

/// One `=?UTF-8?B?…?=` encoded-word, or nil when `token` is not one (or its payload is not complete UTF-8 on its
/// own, which RFC 2047 §5 requires of each word).
public func decodeEncodedWord(_ token: String) -> String? {
    let prefix = "=?UTF-8?B?"
    guard token.uppercased().hasPrefix(prefix), token.hasSuffix("?="), token.count >= prefix.count + 2 else {
        return nil
    }
    let payload = String(token.dropFirst(prefix.count).dropLast(2))
    guard let data = Data(base64Encoded: payload) else { return nil }
    return String(data: data, encoding: .utf8)
}
