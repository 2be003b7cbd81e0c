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
        let sendsBody = includeBody && response.status.allowsBody
        // Written straight into the one buffer that is sent: interpolating a string per field and converting
        // it afterwards cost a tenth of a small API answer's CPU.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 } + (sendsBody ? response.body.count : 0))
        bytes += "HTTP/1.1 ".utf8
        bytes += String(response.status.code).utf8
        bytes.append(0x20)
        bytes += response.status.reason.utf8
        bytes += [0x0D, 0x0A]
        for (name, value) in headers {
            bytes += name.utf8
            bytes += [0x3A, 0x20]
            bytes += value.utf8
            bytes += [0x0D, 0x0A]
        }
        bytes += [0x0D, 0x0A]
        if sendsBody { bytes += response.body }
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

    /// The current second's text, formatted once per second rather than once per answer.
    static func now() -> String { latest.text(at: time(nil)) }

    private static let latest = LatestDate()

    private final class LatestDate: @unchecked Sendable {
        // Guarded by `lock`.
        private let lock = NSLock()
        private var second: time_t = -1
        private var text = ""

        func text(at now: time_t) -> String {
            lock.lock()
            defer { lock.unlock() }
            if now != second {
                second = now
                text = HTTPDate.format(now)
            }
            return text
        }
    }

    static func format(_ instant: time_t) -> String {
        var seconds = instant
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let pad = Digits.padded
        return "\(days[Int(parts.tm_wday)]), \(pad(Int(parts.tm_mday), 2)) \(months[Int(parts.tm_mon)]) \(pad(Int(parts.tm_year) + 1900, 4)) "
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)) GMT"
    }
}

/// Zero-padded decimals for dates and durations; `String(format:)` costs more than the rest of an answer's head.
enum Digits {
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
