/// Hashes new passwords with yescrypt and verifies stored yescrypt or bcrypt hashes, all through libxcrypt.
///
/// Every call is synchronous and CPU-bound (~tens of milliseconds at the default cost), and safe from any thread:
/// each call owns its `crypt_data`. Callers should not hold a database write lock while calling.
public struct PasswordHasher: Sendable {
    /// libxcrypt's own default yescrypt cost (what `crypt_gensalt` picks for 0): each step doubles the memory and
    /// time; 5 is the distribution-wide default for `/etc/shadow`.
    public static let defaultCost = 5
    /// The costs libxcrypt accepts for yescrypt.
    public static let costRange = 1...11

    public let cost: Int

    public init(cost: Int = PasswordHasher.defaultCost) throws(PasswordHashingError) {
        guard Self.costRange.contains(cost) else {
            throw PasswordHashingError(
                .invalidCost, "yescrypt cost \(cost) is outside \(Self.costRange.lowerBound)…\(Self.costRange.upperBound)")
        }
        self.cost = cost
    }

    /// A new yescrypt hash of `password` with a fresh random salt.
    public func hash(_ password: String) throws(PasswordHashingError) -> PasswordHash {
        let passphrase = try Self.passphrase(password)
        let setting = try LibXCrypt.yescryptSetting(cost: cost, entropy: SaltEntropy.bytes(LibXCrypt.saltEntropySize))
        let encoded = try LibXCrypt.crypt(passphrase, setting: setting)
        return try PasswordHash(encoded: encoded)
    }

    /// True when `password` hashes to `stored` (recomputed with the stored hash as the setting, compared in
    /// constant time). A wrong password is `false`; a hash libxcrypt cannot use throws. bcrypt reads only the
    /// first 72 bytes of a password; such hashes are legacy and replaced at the first successful sign-in.
    public func verify(_ password: String, against stored: PasswordHash) throws(PasswordHashingError) -> Bool {
        let passphrase = try Self.passphrase(password)
        let recomputed = try LibXCrypt.crypt(passphrase, setting: stored.encoded)
        return Self.equalInConstantTime(Array(recomputed.utf8), Array(stored.encoded.utf8))
    }

    /// True for every hash that should be replaced by a new yescrypt hash at the next successful sign-in.
    public func needsUpgrade(_ stored: PasswordHash) -> Bool {
        stored.algorithm != .yescrypt
    }

    /// The longest password libxcrypt takes, in bytes of UTF-8 (its buffer holds the terminating NUL too).
    public static let maximumPasswordBytes = LibXCrypt.maximumPassphraseSize - 1

    /// The password as the C string libxcrypt reads, refusing what C would misread.
    private static func passphrase(_ password: String) throws(PasswordHashingError) -> [UInt8] {
        let bytes = Array(password.utf8)
        guard !bytes.contains(0) else {
            throw PasswordHashingError(.passwordContainsNUL, "the password contains a NUL character; remove it")
        }
        guard bytes.count < LibXCrypt.maximumPassphraseSize else {
            throw PasswordHashingError(
                .passwordTooLong, "the password is longer than \(maximumPasswordBytes) bytes; use a shorter one")
        }
        return bytes
    }

    /// Every byte is visited whatever the contents, so the time taken reveals nothing about where two hashes
    /// differ; the length of a hash is public (it follows from its algorithm).
    @inline(never)
    private static func equalInConstantTime(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
