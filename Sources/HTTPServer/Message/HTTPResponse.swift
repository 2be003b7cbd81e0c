/// What a handler answers. The server adds `Content-Length`, `Date`, `Connection` and the configured default
/// fields, and leaves the body out for HEAD.
public struct HTTPResponse: Sendable, Equatable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// When set, the body is this stream instead of `body` (see `ResponseStream`).
    public var stream: ResponseStream?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 plain-text answer.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// A UTF-8 HTML answer; build `html` with the escaping HTML builder, never by concatenating user data.
    public static func html(_ html: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(html.utf8))
    }

    /// A UTF-8 JSON answer of already-encoded JSON.
    public static func json(_ json: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(json.utf8))
    }

    /// A streamed answer (`Content-Type` as given), written by `produce` as it goes.
    public static func streaming(contentType: String, status: HTTPStatus = .ok, _ produce: @escaping @Sendable (ResponseStreamWriter) -> Void) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: ["Content-Type": contentType])
        response.stream = ResponseStream(produce)
        return response
    }

    /// 303 See Other to `location` (after a successful form POST, so a reload does not post again).
    public static func seeOther(_ location: String) -> HTTPResponse {
        HTTPResponse(status: .seeOther, headers: ["Location": location])
    }
}
