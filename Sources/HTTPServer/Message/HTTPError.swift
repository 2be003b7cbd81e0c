/// A request the server or a handler refuses with a status, e.g. a form that is not valid UTF-8 (400).
/// Thrown by a handler, it becomes the answer; its message is shown to the client, so it never holds secrets.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    public let message: String
    /// Extra fields of the answer, e.g. `Allow` on 405 or `Retry-After` on 429.
    public var headers: HTTPHeaders

    public init(_ status: HTTPStatus, _ message: String, headers: HTTPHeaders = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    /// The answer: the status and the message as plain text.
    public var response: HTTPResponse {
        var response = HTTPResponse.text("\(status.reason): \(message)\n", status: status)
        for (name, value) in headers { response.headers.set(name, value) }
        return response
    }

    public var description: String { "\(status): \(message)" }
}
