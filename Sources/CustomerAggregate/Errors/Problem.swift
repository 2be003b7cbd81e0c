/// One broken rule, named by the CLI option it came from (`first-name`, not `firstName`), so that a user can see
/// at once which option to fix.
///
/// `message` is the English sentence (the CLI and the API say it); `rule` and `arguments` say the same as data, so
/// that a front end speaking another language words it itself: `.tooLong` with `maximum: "100"` on `first-name`.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String
    public let rule: Rule
    /// The figures and values the message names, by the names each `Rule` documents.
    public let arguments: [String: String]

    public init(field: String, message: String, rule: Rule = .unstated, arguments: [String: String] = [:]) {
        self.field = field
        self.message = message
        self.rule = rule
        self.arguments = arguments
    }

    public var description: String { "\(field): \(message)" }
}
