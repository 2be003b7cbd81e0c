/// A parsed request line and header section, before any body byte is read.
struct RequestHead: Sendable {
    let method: HTTPMethod
    /// The request target as sent (`/path?query`).
    let target: String
    /// The path as sent (still percent-encoded): what the access log shows. Never the query.
    let rawPath: String
    /// The path, percent-decoded: what the router matches.
    let path: String
    let query: URLEncodedForm
    let version: HTTPVersion
    let headers: HTTPHeaders
}

/// A head that could not be parsed: the answer, and whatever of the request line was understood, for the log.
struct RequestHeadFailure: Error {
    let error: HTTPError
    var method: String? = nil
    var rawPath: String? = nil
}
