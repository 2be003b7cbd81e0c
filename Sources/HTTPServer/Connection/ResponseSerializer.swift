import Foundation

/// The bytes of an answer: status line, the handler's fields, the defaults it did not set, framing fields, body.
enum ResponseSerializer {
    /// `includeBody` false answers HEAD: the same fields (Content-Length included), no body.
    static func serialize(
        _ response: HTTPResponse, includeBody: Bool, keepAlive: Bool, version: HTTPVersion, defaults: HTTPHeaders
    ) -> [UInt8] {
        // A streamed body has no length to announce: the end of the connection ends it.
        let keepAlive = keepAlive && response.stream == nil
        var headers = response.headers
        for (name, value) in defaults where !headers.contains(name) { headers.add(name, value) }
        headers.remove("Content-Length")
        headers.remove("Connection")
        headers.remove("Transfer-Encoding")
        // 1xx and 204 never have a Content-Length; a 304's would have to describe the unsent body, so none.
        if response.status.allowsBody && response.stream == nil {
            headers.add("Content-Length", String(response.body.count))
        }
        if !headers.contains("Date") { headers.add("Date", HTTPDate.now()) }
        if !keepAlive {
            headers.add("Connection", "close")
        } else if version == .http1_0 {
            headers.add("Connection", "keep-alive")
        }
        var text = "HTTP/1.1 \(response.status.code) \(response.status.reason)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if includeBody && response.status.allowsBody { bytes += response.body }
        return bytes
    }

    /// True when every field can be sent as is: a name that is a token and a value without CR, LF or NUL.
    /// A handler that puts user data with a line break into a field would otherwise split the answer in two.
    static func isSafe(_ headers: HTTPHeaders) -> Bool {
        headers.allSatisfy { field in
            !field.name.isEmpty && field.name.utf8.allSatisfy(RequestHeadParser.isTokenByte)
                && !field.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
        }
    }
}

/// IMF-fixdate (RFC 9110), e.g. `Tue, 01 Dec 2026 20:00:00 GMT`, for the `Date` field.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d GMT", days[Int(parts.tm_wday)], parts.tm_mday,
            months[Int(parts.tm_mon)], Int(parts.tm_year) + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
