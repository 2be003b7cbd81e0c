/// What a token authorises. The raw value is the MAC domain, so a token minted for one purpose
/// fails verification for any other: an email-verification link can never be replayed as a
/// password-set link, even though both carry the same kind of random id.
///
/// The raw values are part of every issued token's MAC: renaming them invalidates outstanding links.
public enum TokenKind: String, Sendable, CaseIterable {
    case emailVerification = "verify"
    case passwordSet = "password"

    /// Bytes prefixed to the token id before MAC-ing. The id that follows always has a fixed
    /// length (16 bytes), so `domain || id` is unambiguous without a separator.
    var macDomain: [UInt8] { Array(rawValue.utf8) }
}
