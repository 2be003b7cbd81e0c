/// The block list of the password policy: passwords so common that guessing them is the first thing an attacker
/// tries. A plain value handed to the decider (the service loads the list shipped with the repository), so that
/// the policy stays pure and a test can give it a list of its own.
public struct CommonPasswords: Sendable, Equatable {
    private let entries: Set<String>

    /// Compared lower-cased, like the shipped list is written.
    public init<S: Sequence>(_ passwords: S) where S.Element == String {
        entries = Set(passwords.map { $0.lowercased() })
    }

    /// The list file's text: a header of lines up to the first empty line, then one password per line.
    public init(listText text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let body = lines.drop { !$0.isEmpty }.dropFirst()
        self.init(body.map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }.filter { !$0.isEmpty })
    }

    public static let none = CommonPasswords([String]())

    public var count: Int { entries.count }

    public func contains(_ password: String) -> Bool {
        entries.contains(password.lowercased())
    }
}
