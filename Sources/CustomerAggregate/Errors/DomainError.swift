/// The only error the domain throws: a command was refused, nothing was decided.
///
/// `code` is for machines (scripts, the `--json` error object, tests), `message` is one line for a person, and
/// `problems` carries per-field details when the input was at fault (empty otherwise).
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Code
    public let message: String
    public let problems: [Problem]
    /// What the person can do next, when there is something (said by the front end, not in `message`).
    public let remedy: Remedy?

    public init(_ code: Code, _ message: String, problems: [Problem] = [], remedy: Remedy? = nil) {
        self.code = code
        self.message = message
        self.problems = problems
        self.remedy = remedy
    }

    /// The message, then one indented line per problem.
    public var description: String {
        ([message] + problems.map { "  \($0.field): \($0.message)" }).joined(separator: "\n")
    }
}

extension DomainError {
    /// A stable machine string. A struct with static members rather than an enum (as SwiftNIO does), so that a new
    /// code is not a source-breaking change for code that switches over codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        /// Public so that other layers may define their own codes next to these.
        public init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        /// One or more fields are invalid; see `problems`.
        public static let validationFailed = Code("validationFailed")
        /// The only problem is that another customer has the email (the problem is on field `email`).
        public static let emailAlreadyUsed = Code("emailAlreadyUsed")
        public static let customerAlreadyExists = Code("customerAlreadyExists")
        public static let customerNotFound = Code("customerNotFound")
        /// `verify-email` for a customer who is already Verified.
        public static let alreadyVerified = Code("alreadyVerified")
        /// A command that needs an Unverified customer (`resend-verification`) met a Verified one.
        public static let notUnverified = Code("notUnverified")
        public static let tokenUnknown = Code("tokenUnknown")
        public static let tokenUsed = Code("tokenUsed")
        public static let tokenExpired = Code("tokenExpired")
        public static let tokenSuperseded = Code("tokenSuperseded")
        /// A token of another kind than the command takes (a password-set token given to verify an email).
        public static let wrongTokenKind = Code("wrongTokenKind")
        public static let invalidSetting = Code("invalidSetting")
        /// The caller broke the command's own contract (e.g. a password token requested without a token id):
        /// a programming error upstream, reported instead of trapping.
        public static let invalidCommand = Code("invalidCommand")
        /// `show --as-of` before the customer's first event.
        public static let customerNotYetCreated = Code("customerNotYetCreated")
        /// A command for a customer whose personal data was erased (`forget`): nothing can be done any more.
        public static let customerErased = Code("customerErased")
        /// A store in the format before personal data was sealed, asked to do what needs the new one.
        public static let storeNotMigrated = Code("storeNotMigrated")
        /// Another process changed the same stream between our read and our append.
        public static let concurrentChange = Code("concurrentChange")
        /// An import file that cannot be read as text at all.
        public static let invalidFile = Code("invalidFile")
        /// An import skipped some rows (each reported on its own); the others landed.
        public static let rowsRejected = Code("rowsRejected")
        /// `rebuild --verify` found live projections that differ from a fresh replay of the log.
        public static let projectionsDiffer = Code("projectionsDiffer")
    }
}
