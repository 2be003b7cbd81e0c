/// A complete request as a handler sees it: head parsed and checked, body read to its Content-Length.
public struct HTTPRequest: Sendable {
    public let method: HTTPMethod
    /// The path, percent-decoded (what the router matched).
    public let path: String
    /// The path as sent, still percent-encoded, without the query.
    public let rawPath: String
    /// The decoded query parameters (`?token=…`).
    public let query: URLEncodedForm
    public let version: HTTPVersion
    public let headers: HTTPHeaders
    public let body: [UInt8]
    /// The client's IP address, e.g. for rate limits per client.
    public let remoteAddress: String

    public init(
        method: HTTPMethod, path: String, rawPath: String? = nil, query: URLEncodedForm = URLEncodedForm(),
        version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:], body: [UInt8] = [], remoteAddress: String = "127.0.0.1"
    ) {
        self.method = method
        self.path = path
        self.rawPath = rawPath ?? path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    init(head: RequestHead, body: [UInt8], remoteAddress: String) {
        self.init(
            method: head.method, path: head.path, rawPath: head.rawPath, query: head.query, version: head.version,
            headers: head.headers, body: body, remoteAddress: remoteAddress)
    }

    /// The body as an `application/x-www-form-urlencoded` form: 415 for another content type, 400 for bad
    /// percent-encoding or bytes that are not UTF-8.
    public func form() throws(HTTPError) -> URLEncodedForm {
        let mediaType = headers["Content-Type"]?.split(separator: ";").first.map { $0.trimmingSpaces().lowercased() }
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw HTTPError(.unsupportedMediaType, "the form must be sent as application/x-www-form-urlencoded")
        }
        return try URLEncodedForm(parsing: body[...], what: "form")
    }
}
