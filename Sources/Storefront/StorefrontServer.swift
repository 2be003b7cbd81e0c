import CustomerService
import HTTPServer

/// The storefront on an `HTTPServer`: what `serve` runs. SIGINT/SIGTERM stop accepting and let the requests in
/// flight finish (`waitUntilStopped()` returns then); access-log lines go to standard error.
public final class StorefrontServer: @unchecked Sendable {
    public let storefront: Storefront
    public let origin: String
    private let server: HTTPServer
    private var signals: StopSignals?

    /// `commitBatch`: the most commands the pages group into one write transaction (1 commits each on its own).
    /// `additionalRoutes`: another module's routes served beside the storefront's (the back office), kept in a
    /// route set of their own.
    public init(
        service: CustomerService, host: String, port: UInt16, jsonAccessLog: Bool, commitBatch: Int = Storefront.defaultCommitBatch,
        additionalRoutes: Router = Router()
    ) {
        origin = "http://\(host):\(port)"
        let storefront = Storefront(service: service, credentials: service, listenOrigins: [origin], commitBatch: commitBatch)
        self.storefront = storefront
        var routes = storefront.router()
        routes.include(additionalRoutes)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: host, port: port, accessLog: .standardError(format: jsonAccessLog ? .jsonLines : .text)),
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
