/// Why a password could not be hashed or checked.
///
/// `Code` is a struct with static members rather than an exhaustive enum, so that a case added later does not
/// break callers; match with `catch let error as PasswordHashingError where error.code == .invalidHash`.
public struct PasswordHashingError: Error, Equatable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The stored value is not a hash libxcrypt can check (wrong format, truncated, unknown parameters).
        public static let invalidHash = Code("invalidHash")
        /// A well-formed hash of an algorithm this layer does not accept (e.g. MD5-crypt, DES).
        public static let unsupportedAlgorithm = Code("unsupportedAlgorithm")
        /// The password contains a NUL byte, which a C string would silently cut off.
        public static let passwordContainsNUL = Code("passwordContainsNUL")
        /// The password is longer than libxcrypt accepts.
        public static let passwordTooLong = Code("passwordTooLong")
        /// A yescrypt cost outside the range libxcrypt accepts.
        public static let invalidCost = Code("invalidCost")
        /// libxcrypt failed for another reason (its errno is in the message).
        public static let libraryFailure = Code("libraryFailure")

        public var description: String { name }
    }

    public let code: Code
    /// What went wrong and what to do, without the password or the hash.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
