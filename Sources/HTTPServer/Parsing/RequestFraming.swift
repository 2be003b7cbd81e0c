/// Where a request's body ends. Only `Content-Length` bodies are accepted: when two parties in a chain frame a
/// request differently (one by Content-Length, one by Transfer-Encoding), an attacker can hide a second request
/// inside the first (request smuggling), so every ambiguous or unusual framing is refused.
enum RequestFraming {
    static func bodyLength(of head: RequestHead) throws(HTTPError) -> Int {
        let transferEncodings = head.headers.values("Transfer-Encoding")
        let contentLengths = head.headers.values("Content-Length")
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else {
                throw HTTPError(.badRequest, "a request may not carry both Content-Length and Transfer-Encoding")
            }
            guard head.version == .http1_1 else {
                throw HTTPError(.badRequest, "Transfer-Encoding is not allowed in an HTTP/1.0 request")
            }
            // Chunked request bodies are refused rather than decoded: no client of ours needs them (browsers
            // send forms with Content-Length), and one framing is one less parser to get wrong. 411 tells the
            // client that a Content-Length would be accepted; other codings are not implemented at all (501).
            if head.headers.tokens("Transfer-Encoding").last == "chunked" {
                throw HTTPError(.lengthRequired, "chunked request bodies are not accepted; send a Content-Length")
            }
            throw HTTPError(.notImplemented, "this transfer coding is not implemented")
        }
        guard let text = contentLengths.first else { return 0 }
        guard contentLengths.count == 1 else { throw HTTPError(.badRequest, "more than one Content-Length") }
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw HTTPError(.badRequest, "Content-Length is not a number")
        }
        guard text.utf8.count <= HTTPLimits.maxContentLengthDigits, let length = Int(text) else {
            throw HTTPError(.contentTooLarge, "the body is larger than this server accepts")
        }
        return length
    }
}
