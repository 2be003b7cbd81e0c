/// Strict parsing of a request head (RFC 9112), so that this server and any proxy in front of it can never
/// disagree about where a request starts or ends: one space between the parts of the request line, CRLF line
/// ends only, no folded lines, no space before a colon, field names that are tokens, values without control
/// characters and in UTF-8, exactly one Host in HTTP/1.1.
enum RequestHeadParser {
    /// Parses `head`: the bytes before the blank line that ends it (without that final CRLF CRLF).
    static func parse(_ head: ArraySlice<UInt8>) throws(RequestHeadFailure) -> RequestHead {
        let lines = splitLines(head)
        guard let requestLine = lines.first else { throw failure(.badRequest, "empty request") }
        guard requestLine.count <= HTTPLimits.maxRequestLineBytes else {
            throw failure(.uriTooLong, "the request line is longer than \(HTTPLimits.maxRequestLineBytes) bytes")
        }
        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }), lines.allSatisfy({ !$0.containsBareLineBreak }) else {
            throw failure(.badRequest, "malformed request line")
        }
        guard parts[0].allSatisfy(isTokenByte) else { throw failure(.badRequest, "the method is not a token") }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = parts[1]
        guard target.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw failure(.badRequest, "the request target contains spaces, control or non-ASCII bytes", method: method)
        }
        guard target.first == UInt8(ascii: "/"), !target.contains(UInt8(ascii: "#")) else {
            throw failure(.badRequest, "the request target must be a path (/path?query)", method: method)
        }
        let questionMark = target.firstIndex(of: UInt8(ascii: "?"))
        let rawPathBytes = target[..<(questionMark ?? target.endIndex)]
        let rawPath = String(decoding: rawPathBytes, as: UTF8.self)
        let version = try parseVersion(parts[2], method: method, rawPath: rawPath)

        let path: String
        let query: URLEncodedForm
        do throws(HTTPError) {
            path = try PercentDecoding.decode(rawPathBytes, plusIsSpace: false, what: "path")
            guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw HTTPError(.badRequest, "the path contains control characters")
            }
            query = try URLEncodedForm(
                parsing: questionMark.map { target[target.index(after: $0)...] } ?? [], what: "query")
        } catch {
            throw RequestHeadFailure(error: error, method: method, rawPath: rawPath)
        }

        let headers: HTTPHeaders
        do throws(HTTPError) {
            headers = try parseFields(lines.dropFirst(), version: version)
        } catch {
            throw RequestHeadFailure(error: error, method: method, rawPath: rawPath)
        }
        return RequestHead(
            method: HTTPMethod(method), target: String(decoding: target, as: UTF8.self), rawPath: rawPath, path: path,
            query: query, version: version, headers: headers)
    }

    private static func parseVersion(
        _ bytes: ArraySlice<UInt8>, method: String, rawPath: String
    ) throws(RequestHeadFailure) -> HTTPVersion {
        let text = String(decoding: bytes, as: UTF8.self)
        if let version = HTTPVersion(rawValue: text) { return version }
        let digits = Array(bytes.dropFirst(5))
        if text.hasPrefix("HTTP/"), digits.count == 3, digits[1] == UInt8(ascii: "."),
            isDigit(digits[0]), isDigit(digits[2])
        {
            throw failure(.httpVersionNotSupported, "only HTTP/1.0 and HTTP/1.1 are served", method: method, rawPath: rawPath)
        }
        throw failure(.badRequest, "malformed HTTP version", method: method, rawPath: rawPath)
    }

    private static func parseFields(_ lines: ArraySlice<ArraySlice<UInt8>>, version: HTTPVersion) throws(HTTPError) -> HTTPHeaders {
        let size = lines.reduce(0) { $0 + $1.count + 2 }
        guard size <= HTTPLimits.maxHeaderBytes else {
            throw HTTPError(.requestHeaderFieldsTooLarge, "the header fields exceed \(HTTPLimits.maxHeaderBytes) bytes")
        }
        guard lines.count <= HTTPLimits.maxHeaderFields else {
            throw HTTPError(.requestHeaderFieldsTooLarge, "more than \(HTTPLimits.maxHeaderFields) header fields")
        }
        var headers = HTTPHeaders()
        for line in lines {
            guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
                throw HTTPError(.badRequest, "folded header lines (obs-fold) are not accepted")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line[..<colon].allSatisfy(isTokenByte)
            else {
                throw HTTPError(.badRequest, "malformed header field")
            }
            let valueBytes = line[line.index(after: colon)...]
            guard !valueBytes.contains(where: { ($0 < 0x20 && $0 != UInt8(ascii: "\t")) || $0 == 0x7F }) else {
                throw HTTPError(.badRequest, "a header value contains control characters")
            }
            guard let value = String(validating: valueBytes, as: UTF8.self) else {
                throw HTTPError(.badRequest, "a header value is not valid UTF-8")
            }
            headers.add(String(decoding: line[..<colon], as: UTF8.self), value.trimmingSpaces())
        }
        let hosts = headers.values("Host").count
        guard hosts == 1 || (version == .http1_0 && hosts == 0) else {
            throw HTTPError(.badRequest, "an HTTP/1.1 request needs exactly one Host field")
        }
        return headers
    }

    /// Lines separated by CRLF; a CR or LF left inside a line is a bare line break (refused by the caller).
    private static func splitLines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            if head[index] == UInt8(ascii: "\r"), index + 1 < head.endIndex, head[index + 1] == UInt8(ascii: "\n") {
                lines.append(head[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(head[start..<head.endIndex])
        return lines
    }

    /// tchar of RFC 9110: the characters allowed in methods and field names.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func failure(
        _ status: HTTPStatus, _ message: String, method: String? = nil, rawPath: String? = nil
    ) -> RequestHeadFailure {
        RequestHeadFailure(error: HTTPError(status, message), method: method, rawPath: rawPath)
    }
}

extension ArraySlice<UInt8> {
    /// A CR or LF that is not part of a CRLF line end: refused, because some parsers treat a bare LF as a line
    /// end and others do not.
    var containsBareLineBreak: Bool { contains(UInt8(ascii: "\r")) || contains(UInt8(ascii: "\n")) }
}
