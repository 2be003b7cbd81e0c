import CCrypt
import SystemCalls
#if canImport(Glibc)
import Glibc
#endif

/// The only code that calls `crypt_*`. Each call uses its own zeroed `struct crypt_data` (the re-entrant
/// `_rn` variants), wiped again afterwards because libxcrypt leaves a copy of the passphrase in it.
enum LibXCrypt {
    /// Bytes of randomness handed to `crypt_gensalt_rn`; yescrypt uses up to 32 (a 256-bit salt).
    static let saltEntropySize = 32
    /// `CRYPT_MAX_PASSPHRASE_SIZE`, including the terminating NUL.
    static let maximumPassphraseSize = Int(CRYPT_MAX_PASSPHRASE_SIZE)

    /// True when libxcrypt can hash with `setting` (a salt or a complete hash) and the method is not legacy.
    static func isValidSetting(_ setting: String) -> Bool {
        crypt_checksalt(setting) == CRYPT_SALT_OK
    }

    /// A yescrypt setting (`$y$<params>$<salt>`) for `cost` and the given random bytes.
    static func yescryptSetting(cost: Int, entropy: [UInt8]) throws(PasswordHashingError) -> String {
        var output = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let result = entropy.withUnsafeBytes { random in
            random.withMemoryRebound(to: CChar.self) { random in
                crypt_gensalt_rn("$y$", UInt(cost), random.baseAddress, Int32(random.count), &output, Int32(output.count))
            }
        }
        guard result != nil else {
            throw PasswordHashingError(.libraryFailure, "crypt_gensalt_rn failed: \(SystemCall.describe(errno: errno))")
        }
        return String(cString: output)
    }

    /// The crypt(3) string of `passphrase` (no NUL inside) under `setting`. Failure outputs start with `*`.
    static func crypt(_ passphrase: [UInt8], setting: String) throws(PasswordHashingError) -> String {
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        let size = MemoryLayout<crypt_data>.size
        memset(data, 0, size)
        defer {
            memset(data, 0, size)
            data.deallocate()
        }
        let cString = passphrase.map { CChar(bitPattern: $0) } + [0]
        guard let result = crypt_rn(cString, setting, data, Int32(size)) else {
            throw failure(errno)
        }
        let output = String(cString: result)
        guard !output.hasPrefix("*") else { throw failure(EINVAL) }
        return output
    }

    private static func failure(_ code: Int32) -> PasswordHashingError {
        if code == EINVAL || code == ERANGE {
            return PasswordHashingError(.invalidHash, "the stored password hash is malformed (libxcrypt cannot check it)")
        }
        return PasswordHashingError(.libraryFailure, "crypt_rn failed: \(SystemCall.describe(errno: code))")
    }
}
