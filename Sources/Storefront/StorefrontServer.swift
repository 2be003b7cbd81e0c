import CustomerService
import HTTPServer

/// The storefront on an `HTTPServer`: what `serve` runs. SIGINT/SIGTERM stop accepting and let the requests in
/// flight finish (`waitUntilStopped()` returns then); access-log lines go to standard error.
public final class StorefrontServer: @unchecked Sendable {
    public let storefront: Storefront
    public let origin: String
    private let server: HTTPServer
    /// The HTTP server's own defaults, for front ends that do not import it.
    public static let defaultHeaderReadTimeout = HTTPServerConfiguration.defaultHeaderReadTimeout
    public static let defaultIdleTimeout = HTTPServerConfiguration.defaultIdleTimeout
    private var signals: StopSignals?

    /// `commitBatch`: the most commands the pages group into one write transaction (1 commits each on its own).
    /// `headerReadTimeout`: seconds from a request's first byte to the end of its head (a slower client gets 408
    /// and is dropped); `idleTimeout`: seconds a connection may wait before its next request.
    /// `additionalRoutes`: another module's routes served beside the storefront's (the back office), kept in a
    /// route set of their own.
    public init(
        service: CustomerService, host: String, port: UInt16, jsonAccessLog: Bool, commitBatch: Int = Storefront.defaultCommitBatch,
        headerReadTimeout: Double = StorefrontServer.defaultHeaderReadTimeout, idleTimeout: Double = StorefrontServer.defaultIdleTimeout,
        additionalRoutes: Router = Router()
    ) {
        origin = "http://\(host):\(port)"
        let storefront = Storefront(service: service, servesCredentials: true, listenOrigins: [origin], commitBatch: commitBatch)
        self.storefront = storefront
        var routes = storefront.router()
        routes.include(additionalRoutes)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: host, port: port, headerReadTimeout: headerReadTimeout, idleTimeout: idleTimeout,
                accessLog: .standardError(format: jsonAccessLog ? .jsonLines : .text)),
            router: routes)
    }

    /// Installs the stop signals, binds and starts accepting.
    public func start() throws {
        signals = StopSignals.install(stopping: server)
        try server.start()
    }

    public func stop() { server.stop() }

    public func waitUntilStopped() { server.waitUntilStopped() }
}
