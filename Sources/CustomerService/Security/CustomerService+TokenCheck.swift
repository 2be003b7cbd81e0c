import CustomerAggregate
import Foundation
import Projections

/// What a link's token would do if used now, without using it: what a page shows on GET (a GET never consumes a
/// token, since mail scanners and link previews fetch links before the customer does).
public struct TokenCheck: Sendable, Equatable {
    /// `.unknown` too for a token that is malformed, forged, of the other kind, or of no customer.
    public let usability: TokenUsability
    /// The locale of the token's customer, when the token is one of ours.
    public let customerLocale: String?
}

extension CustomerService {
    /// Checks a link's token in a read transaction (writes nothing), with the same rule the command applies.
    /// The confirmation page serves both links that confirm an address, so an email-change token is checked as
    /// such when a verification link is asked about.
    public func checkToken(_ token: String, kind: TokenKind) throws -> TokenCheck {
        try store.read { reader in
            var kind = kind
            if kind == .emailVerification, tokens.tokenId(from: token, kind: .emailChange) != nil { kind = .emailChange }
            guard let tokenId = tokens.tokenId(from: token, kind: kind),
                  let (id, found) = try directory.customer(withToken: tokenId, in: reader), found == kind.purpose
            else { return TokenCheck(usability: .unknown, customerLocale: nil) }
            let (state, _) = try loadCustomer(id, in: reader)
            let now = clock()
            let usability: TokenUsability
            switch kind {
            case .emailVerification: usability = state.verificationTokenUsability(tokenId, at: now)
            case .passwordSet: usability = state.passwordTokenUsability(tokenId, at: now)
            case .emailChange: usability = state.emailChangeTokenUsability(tokenId, at: now)
            }
            return TokenCheck(usability: usability, customerLocale: state.profile?.locale)
        }
    }
}
