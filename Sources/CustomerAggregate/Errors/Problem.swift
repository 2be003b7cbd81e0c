/// One broken rule, named by the CLI option it came from (`first-name`, not `firstName`), so that a user can see
/// at once which option to fix.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
