/// HMAC-SHA-256 (RFC 2104, tested against RFC 4231).
///
/// The token MAC: proves a token was minted by whoever holds the store key without the log
/// ever holding anything that lets a reader mint or recognise tokens.
public enum HMACSHA256: Sendable {
    public static let macByteCount = SHA256.digestByteCount

    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        // RFC 2104 §2: keys longer than the block are hashed first; all keys are then zero-padded
        // to exactly one block.
        var blockKey = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        blockKey.append(contentsOf: repeatElement(0, count: SHA256.blockByteCount - blockKey.count))

        let innerPad = blockKey.map { $0 ^ 0x36 }
        let outerPad = blockKey.map { $0 ^ 0x5c }

        // Stream the pads and message instead of concatenating, so the message is never copied.
        var inner = SHA256()
        innerPad.withUnsafeBytes { inner.update($0) }
        message.withUnsafeBytes { inner.update($0) }
        let innerDigest = inner.finalize()

        var outer = SHA256()
        outerPad.withUnsafeBytes { outer.update($0) }
        innerDigest.withUnsafeBytes { outer.update($0) }
        return outer.finalize()
    }
}
