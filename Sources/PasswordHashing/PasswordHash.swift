/// A stored password hash in crypt(3) notation (`$y$…` for yescrypt, `$2b$…` for bcrypt), checked on creation so
/// that a hash which libxcrypt could never verify is refused when it is stored (e.g. at import), not at sign-in.
///
/// The value is a secret of its own (it allows offline guessing), so `description` never shows it.
public struct PasswordHash: Hashable, Sendable, CustomStringConvertible {
    /// The crypt(3) string, e.g. `$y$j9T$salt$hash`: what the credentials table stores.
    public let encoded: String
    public let algorithm: PasswordAlgorithm

    /// Accepts yescrypt and the bcrypt variants (`$2y$`, `$2a$`, `$2b$`) when libxcrypt says the setting is valid.
    public init(encoded: String) throws(PasswordHashingError) {
        guard let algorithm = PasswordAlgorithm(prefixOf: encoded) else {
            throw PasswordHashingError(
                .unsupportedAlgorithm,
                "the password hash is not yescrypt ($y$) or bcrypt ($2y$, $2a$, $2b$); store a hash of one of those")
        }
        guard algorithm.isWellFormed(encoded), LibXCrypt.isValidSetting(encoded) else {
            throw PasswordHashingError(
                .invalidHash, "the \(algorithm) password hash is malformed (libxcrypt cannot check it)")
        }
        self.encoded = encoded
        self.algorithm = algorithm
    }

    public var description: String { "PasswordHash(\(algorithm), redacted)" }
}

/// The algorithms whose hashes this layer verifies; only yescrypt is ever produced.
public enum PasswordAlgorithm: String, Sendable, CustomStringConvertible {
    case yescrypt
    /// The platform's legacy hashes, kept until the customer's next sign-in upgrades them.
    case bcrypt

    init?(prefixOf encoded: String) {
        if encoded.hasPrefix("$y$") {
            self = .yescrypt
        } else if encoded.hasPrefix("$2y$") || encoded.hasPrefix("$2a$") || encoded.hasPrefix("$2b$") {
            self = .bcrypt
        } else {
            return nil
        }
    }

    public var description: String { rawValue }
}

extension PasswordAlgorithm {
    /// The crypt(3) alphabet of salts and digests.
    private static let cryptAlphabet = Set("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// The shape of a complete hash (not just a salt), checked without hashing: `crypt_checksalt` only looks at
    /// the prefix, and a truncated hash would otherwise be stored and fail at every sign-in.
    func isWellFormed(_ encoded: String) -> Bool {
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        let inAlphabet = { (field: Substring) in !field.isEmpty && field.utf8.allSatisfy(Self.cryptAlphabet.contains) }
        switch self {
        case .yescrypt:
            // "", "y", parameters, salt, 43-character digest (256 bits).
            return fields.count == 5 && inAlphabet(fields[2]) && inAlphabet(fields[3])
                && fields[4].utf8.count == 43 && inAlphabet(fields[4])
        case .bcrypt:
            // "", "2b", two-digit cost 04…31, 22-character salt followed by a 31-character digest.
            guard fields.count == 4, let cost = Int(fields[2]), fields[2].utf8.count == 2 else { return false }
            return (4...31).contains(cost) && fields[3].utf8.count == 53 && inAlphabet(fields[3])
        }
    }
}
