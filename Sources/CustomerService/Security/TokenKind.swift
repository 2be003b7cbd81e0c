import Projections

/// What a token authorises. The raw value is the MAC domain, so a token minted for one purpose
/// fails verification for any other: an email-verification link can never be replayed as a
/// password-set link, even though both carry the same kind of random id.
///
/// The raw values are part of every issued token's MAC: renaming them invalidates outstanding links.
public enum TokenKind: String, Sendable, CaseIterable {
    case emailVerification = "verify"
    case passwordSet = "password"
    /// The link of a pending email change, sent to the new address: it confirms that inbox, and a sign-up
    /// verification link (another kind) never confirms a change.
    case emailChange = "change-email"

    /// Bytes prefixed to the token id before MAC-ing. The id that follows always has a fixed
    /// length (16 bytes), so `domain || id` is unambiguous without a separator.
    var macDomain: [UInt8] { Array(rawValue.utf8) }
}

extension TokenKind {
    /// The kind of the tokens the directory records with `purpose`.
    init(_ purpose: CustomerDirectory.TokenPurpose) {
        switch purpose {
        case .emailVerification: self = .emailVerification
        case .passwordSet: self = .passwordSet
        case .emailChange: self = .emailChange
        }
    }

    var purpose: CustomerDirectory.TokenPurpose {
        switch self {
        case .emailVerification: return .emailVerification
        case .passwordSet: return .passwordSet
        case .emailChange: return .emailChange
        }
    }
}
