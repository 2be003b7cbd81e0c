/// The message cannot be written as RFC 5322 without changing its meaning, so nothing was rendered.
///
/// The typical cause is header injection: a name or subject containing CR/LF (`"Eve\r\nBcc: …"`) would start a new
/// header line. Such values are refused, never silently cleaned, because a cleaned value is not what the caller
/// asked to send. Retrying cannot help; the outbox should treat this as a permanent failure.
public struct MessageRenderingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The header whose value was refused, e.g. `To` or `Subject`.
    public let header: String
    /// What is wrong with the value, phrased to complete "The <header> header …".
    public let problem: String

    public init(header: String, problem: String) {
        self.header = header
        self.problem = problem
    }

    public var description: String {
        "Cannot render the email: the \(header) header \(problem)."
    }
}
