import CompactCodec
import Foundation

/// Turns a token id (what the event log stores) into the string that goes into an email link, and
/// back again after checking it.
///
/// Token = base64url( tokenId (16 bytes) || HMAC-SHA-256(storeKey, kind.domain || tokenId) ),
/// i.e. 48 bytes -> exactly 64 URL-safe characters. The log only ever holds `tokenId`; without the
/// store key nobody can produce the MAC half, so a leaked log (or a guessed id) cannot be turned
/// into a working link.
public struct TokenCodec: Sendable {
    /// Characters in every token this codec produces (48 bytes, unpadded base64url).
    public static let tokenLength = 64

    private static let tokenIdByteCount = 16
    private static let tokenByteCount = tokenIdByteCount + HMACSHA256.macByteCount

    private let key: TokenKey

    public init(key: TokenKey) {
        self.key = key
    }

    /// A fresh token id: a version-7 UUID (`TimeOrderedUUID`), increasing within this process, so that
    /// `directory.token`, which it keys, grows at its right edge and keeps its pages full (random ids split pages in
    /// the middle and leave the table a third larger, and a level deeper at a million customers).
    ///
    /// The id is not the secret: the log records it (`events --json` shows it) and the link's MAC, which only the
    /// store key can make, is what makes a token unforgeable — an id guessed or read from the log gives no link.
    public static func newTokenId() -> UUID {
        TimeOrderedUUID.next()
    }

    /// The URL-safe string for the email link.
    public func token(for tokenId: UUID, kind: TokenKind) -> String {
        let idBytes = tokenId.bytes
        return Base64URL.encode(idBytes + mac(for: idBytes, kind: kind))
    }

    /// The token id inside `token` if, and only if, it was minted by this key for this `kind`.
    ///
    /// Returns nil — never throws or traps — for anything else: wrong length, characters outside the
    /// base64url alphabet, another kind's token, another key's token, or any altered character.
    /// Surrounding whitespace (a pasted link, a trailing newline) is tolerated.
    public func tokenId(from token: String, kind: TokenKind) -> UUID? {
        // Cheap bound before any per-character work, so absurdly long input costs nothing.
        // (utf8.count is O(1) for native strings.)
        guard token.utf8.count <= 4 * Self.tokenLength else { return nil }
        // Trimming goes through Foundation and costs more than the MAC: only a token with space around it pays it.
        let edges = [token.utf8.first, token.utf8.last].compactMap { $0 }
        let trimmed = edges.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) ? token : token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count == Self.tokenLength,
              let decoded = Base64URL.decode(trimmed),
              decoded.count == Self.tokenByteCount
        else { return nil }

        let idBytes = Array(decoded[0..<Self.tokenIdByteCount])
        let presentedMAC = Array(decoded[Self.tokenIdByteCount...])
        // Constant time: a timing difference on the first wrong byte would let an attacker build a
        // valid MAC for a known id one byte at a time.
        guard ConstantTime.equals(presentedMAC, mac(for: idBytes, kind: kind)) else { return nil }
        return UUID(bytes: idBytes)
    }

    /// A MAC under the store key of another value the store must recognise as its own (a list cursor).
    /// `domain` starts the MAC's input, as the kind does for tokens; it must differ from every token kind, so
    /// that such a value can never pass for a token or the reverse.
    public func authenticationCode(domain: String, message: [UInt8]) -> [UInt8] {
        precondition(
            !TokenKind.allCases.contains { domain.hasPrefix($0.rawValue) || $0.rawValue.hasPrefix(domain) },
            "\(domain) overlaps a token kind's MAC domain")
        return HMACSHA256.authenticationCode(for: Array(domain.utf8) + message, key: key.bytes)
    }

    private func mac(for idBytes: [UInt8], kind: TokenKind) -> [UInt8] {
        HMACSHA256.authenticationCode(for: kind.macDomain + idBytes, key: key.bytes)
    }

}
