/// What one server listens on, how long it waits, how many connections it serves and what it adds to answers.
public struct HTTPServerConfiguration: Sendable {
    /// An IPv4 address literal; `127.0.0.1` keeps the server off the network.
    public var host: String
    /// 0 lets the kernel choose a free port (`HTTPServer.port` tells which).
    public var port: UInt16
    /// Connections served at once, each on its own thread; beyond it a connection gets 503 with `Retry-After` and
    /// is closed. 256 threads of 512 KiB stacks and bounded buffers keep the worst case within a few hundred MB.
    public var maxConnections: Int
    /// Time from the first byte of a request to the end of its head: a client sending one byte a second
    /// (slowloris) is answered 408 and dropped after it, whatever it sends.
    public var headerReadTimeout: Double
    /// Time a kept-alive (or new) connection may sit without starting a request.
    public var idleTimeout: Double
    /// Long enough for a head from a slow mobile link, short enough that a dripping client holds its connection
    /// thread only briefly.
    public static let defaultHeaderReadTimeout = 10.0
    /// Long enough for a browser's next request on a page it is showing, short enough that idle keep-alive
    /// connections do not fill the connection bound.
    public static let defaultIdleTimeout = 5.0
    /// Time to receive a body once its head is in.
    public var bodyReadTimeout: Double
    /// Time to hand an answer to a client that does not read it.
    public var writeTimeout: Double
    /// What a 503 tells the client to wait, in seconds.
    public var retryAfterSeconds: Int
    /// Added to every answer that does not set the field itself (errors included); `SecurityHeaders.standard`
    /// by default.
    public var responseHeaders: HTTPHeaders
    /// One line per request; nil logs nothing.
    public var accessLog: AccessLog?

    public init(
        host: String = "127.0.0.1", port: UInt16 = 8080, maxConnections: Int = 256,
        headerReadTimeout: Double = HTTPServerConfiguration.defaultHeaderReadTimeout,
        idleTimeout: Double = HTTPServerConfiguration.defaultIdleTimeout, bodyReadTimeout: Double = 10, writeTimeout: Double = 10,
        retryAfterSeconds: Int = 1, responseHeaders: HTTPHeaders = SecurityHeaders.standard, accessLog: AccessLog? = nil
    ) {
        self.host = host
        self.port = port
        self.maxConnections = maxConnections
        self.headerReadTimeout = headerReadTimeout
        self.idleTimeout = idleTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.writeTimeout = writeTimeout
        self.retryAfterSeconds = retryAfterSeconds
        self.responseHeaders = responseHeaders
        self.accessLog = accessLog
    }
}
