/// The secret store key that token MACs are computed with.
///
/// Kept outside the event log (see `loadOrCreate(inDirectory:)`) so that a copy of the log — a backup,
/// a support dump — is not enough to forge or recognise a valid link.
public struct TokenKey: Sendable {
    public static let byteCount = 32

    public let bytes: [UInt8]

    /// - Precondition: exactly 32 bytes. A key of any other size is a programming error (keys from
    ///   disk are size-checked by `loadOrCreate`, which throws instead).
    public init(bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "TokenKey needs exactly \(Self.byteCount) bytes, got \(bytes.count)")
        self.bytes = bytes
    }

    /// A fresh key: 256 bits from the kernel CSPRNG, matching HMAC-SHA-256's output size.
    public static func generate() -> TokenKey {
        TokenKey(bytes: SecureRandom.bytes(byteCount))
    }
}

// Keep the key out of logs, `print`, string interpolation and `dump`: the default reflection would
// print every byte.
extension TokenKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "TokenKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
