import Foundation

/// What a connection needs from its server: settings, routes, and how to tell that the server is stopping.
struct ConnectionContext: Sendable {
    let configuration: HTTPServerConfiguration
    let router: Router
    /// Readable once the server stops: idle connections poll it and close at once.
    let stopDescriptor: Int32
    let isStopping: @Sendable () -> Bool
}

/// One client connection, served on its own thread: one request after another (keep-alive), each within its
/// timeouts and limits. Owns the descriptor and closes it when done.
///
/// Memory is bounded by `HTTPLimits.maxConnectionBufferBytes`: the head is refused past its limits while it is
/// still arriving, and a body is read only when it is within the route's limit.
final class Connection {
    let fd: Int32
    private let remoteAddress: String
    let context: ConnectionContext
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: HTTPLimits.readChunkBytes)
    /// Set when a read saw the end of the stream: nothing more to linger for.
    var clientHasGone = false
    var configuration: HTTPServerConfiguration { context.configuration }

    init(fd: Int32, remoteAddress: String, context: ConnectionContext) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.context = context
    }

    /// Serves requests until the client leaves, a timeout passes, an answer closes the connection or the server
    /// stops; then closes the descriptor.
    func run() {
        while serveNextRequest() {}
    }

    /// When and what the request being served was, for its answer and its log line.
    private struct Exchange {
        let started = ContinuousClock.now
        let startedAt = Date()
        var method = "-"
        var rawPath = "-"
        var version = HTTPVersion.http1_1
        var isHead = false
    }

    /// Serves one request; false when the connection has been closed.
    private func serveNextRequest() -> Bool {
        var skipped = dropLeadingLineBreaks()
        let idleDeadline = ContinuousClock.now + .seconds(configuration.idleTimeout)
        while buffer.isEmpty {
            guard !context.isStopping(), Socket.wait(fd, until: idleDeadline, stop: context.stopDescriptor) == .ready,
                readMore()
            else {
                return close(lingering: false)
            }
            skipped += dropLeadingLineBreaks()
            // A few empty lines are tolerated; an endless stream of them would hold the connection forever.
            guard skipped <= Self.maxLeadingLineBreakBytes else { return close(lingering: false) }
        }
        var exchange = Exchange()
        let headEnd: Int
        switch readHead(until: exchange.started + .seconds(configuration.headerReadTimeout)) {
        case .complete(let end): headEnd = end
        case .refused(let error): return answer(error.response, exchange, keepAlive: false)
        case .closed: return close(lingering: false)
        }
        let head: RequestHead
        do {
            head = try RequestHeadParser.parse(buffer[0..<(headEnd - 4)])
        } catch {
            exchange.method = error.method ?? "-"
            exchange.rawPath = error.rawPath ?? "-"
            return answer(error.error.response, exchange, keepAlive: false)
        }
        exchange.method = head.method.rawValue
        exchange.rawPath = head.rawPath
        exchange.version = head.version
        exchange.isHead = head.method == .head
        return serve(head, headEnd: headEnd, exchange)
    }

    /// Frames, routes, reads the body, calls the handler and answers.
    private func serve(_ head: RequestHead, headEnd: Int, _ exchange: Exchange) -> Bool {
        let bodyLength: Int
        do {
            bodyLength = try RequestFraming.bodyLength(of: head)
        } catch {
            return answer(error.response, exchange, keepAlive: false)
        }
        let route: Router.Route
        switch context.router.resolve(head.method, head.path) {
        case .notFound:
            let error = HTTPError(.notFound, "nothing is served at this address")
            return answerWithoutBody(error.response, exchange, head: head, headEnd: headEnd, bodyLength: bodyLength)
        case .methodNotAllowed(let allowed):
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            let error = HTTPError(.methodNotAllowed, "this address answers \(allow)", headers: ["Allow": allow])
            return answerWithoutBody(error.response, exchange, head: head, headEnd: headEnd, bodyLength: bodyLength)
        case .route(let found):
            route = found
        }
        guard bodyLength <= route.bodyLimit else {
            let error = HTTPError(.contentTooLarge, "the body is larger than the \(route.bodyLimit) bytes this address accepts")
            return answer(error.response, exchange, keepAlive: false)
        }
        if let expectation = head.headers["Expect"] {
            guard expectation.lowercased() == "100-continue" else {
                return answer(HTTPError(.expectationFailed, "only Expect: 100-continue is understood").response, exchange, keepAlive: false)
            }
            if buffer.count < headEnd + bodyLength && head.version == .http1_1 {
                guard send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return close(lingering: false) }
            }
        }
        guard readBody(upTo: headEnd + bodyLength, until: .now + .seconds(configuration.bodyReadTimeout)) else {
            if buffer.count < headEnd + bodyLength && !clientHasGone {
                let error = HTTPError(.requestTimeout, "the body did not arrive within \(configuration.bodyReadTimeout) s")
                return answer(error.response, exchange, keepAlive: false)
            }
            return close(lingering: false)
        }
        let request = HTTPRequest(head: head, body: Array(buffer[headEnd..<(headEnd + bodyLength)]), remoteAddress: remoteAddress)
        buffer.removeFirst(headEnd + bodyLength)
        var response = Self.call(route.handler, request)
        let handlerCloses = response.headers.tokens("Connection").contains("close")
        if !ResponseSerializer.isSafe(response.headers) {
            response = HTTPError(.internalServerError, "the answer had a malformed header field").response
        }
        return answer(response, exchange, keepAlive: wantsKeepAlive(head) && !handlerCloses, consumed: true)
    }

    /// An answer that needs no body (404, 405): the connection stays alive when the request had none to skip.
    private func answerWithoutBody(
        _ response: HTTPResponse, _ exchange: Exchange, head: RequestHead, headEnd: Int, bodyLength: Int
    ) -> Bool {
        let keepAlive = bodyLength == 0 && wantsKeepAlive(head)
        if keepAlive { buffer.removeFirst(headEnd) }
        return answer(response, exchange, keepAlive: keepAlive, consumed: keepAlive)
    }

    private static func call(_ handler: Router.Handler, _ request: HTTPRequest) -> HTTPResponse {
        do {
            return try handler(request)
        } catch let error as HTTPError {
            return error.response
        } catch {
            return HTTPError(.internalServerError, "the request could not be completed").response
        }
    }

    /// Keep-alive is the default of HTTP/1.1 (`Connection: close` ends it); HTTP/1.0 keeps alive only when asked.
    private func wantsKeepAlive(_ head: RequestHead) -> Bool {
        let tokens = head.headers.tokens("Connection")
        return head.version == .http1_1 ? !tokens.contains("close") : tokens.contains("keep-alive")
    }

    /// Sends the answer, logs it, and closes the connection unless it stays alive; false when closed.
    /// `consumed` false: the request's bytes are still in the buffer, so the connection cannot continue.
    private func answer(_ response: HTTPResponse, _ exchange: Exchange, keepAlive: Bool, consumed: Bool = false) -> Bool {
        let keepAlive = keepAlive && consumed && !context.isStopping() && response.stream == nil
        let bytes = ResponseSerializer.serialize(
            response, includeBody: !exchange.isHead, keepAlive: keepAlive, version: exchange.version,
            defaults: configuration.responseHeaders)
        var sent = send(bytes)
        var streamedBytes = 0
        if sent, !exchange.isHead, let stream = response.stream {
            let writer = ResponseStreamWriter(send: { [self] in send($0) }, isStopping: context.isStopping)
            stream.produce(writer)
            streamedBytes = writer.bytesWritten
            sent = !writer.hasFailed
        }
        configuration.accessLog?.record(AccessLogEntry(
            time: exchange.startedAt, method: exchange.method, path: exchange.rawPath, status: response.status.code,
            duration: exchange.started.duration(to: .now),
            bytes: exchange.isHead || !response.status.allowsBody ? 0 : response.body.count + streamedBytes))
        guard sent else { return close(lingering: false) }
        return keepAlive ? true : close(lingering: true)
    }
}
