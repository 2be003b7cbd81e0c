/// An error thrown by the test helpers when their own setup fails (a socket cannot be bound, a server does not
/// start), so that the test reports the reason instead of hanging or crashing.
public struct TestFailure: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
