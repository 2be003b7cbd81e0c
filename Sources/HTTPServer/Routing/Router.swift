/// Exact method + path routes to plain handler functions. The application layer is injected by registering its
/// functions here; the server itself knows nothing of what they do.
///
///     var router = Router()
///     router.get("/health") { _ in .text("ok\n") }
///     router.post("/register/confirm") { request in try confirm(request.form()) }
public struct Router: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) throws -> HTTPResponse

    struct Route: Sendable {
        let bodyLimit: Int
        let handler: Handler
    }

    enum Resolution {
        case route(Route)
        case notFound
        /// The path exists, not with this method: 405 with `Allow` listing these.
        case methodNotAllowed(allowed: [HTTPMethod])
    }

    private var routes: [String: [HTTPMethod: Route]] = [:]

    public init() {}

    /// Registers `handler` for `method` on `path` (decoded, exact match). `bodyLimit` bounds the body this route
    /// accepts (413 beyond it, checked before reading); it may not exceed `HTTPLimits.maxBodyBytes`.
    public mutating func add(
        _ method: HTTPMethod, _ path: String, bodyLimit: Int = HTTPLimits.defaultBodyBytes, _ handler: @escaping Handler
    ) {
        precondition((0...HTTPLimits.maxBodyBytes).contains(bodyLimit), "a route's body limit must be 0…\(HTTPLimits.maxBodyBytes)")
        precondition(path.hasPrefix("/"), "a route's path starts with /")
        routes[path, default: [:]][method] = Route(bodyLimit: bodyLimit, handler: handler)
    }

    /// A GET route; HEAD on the same path is answered by it, without the body.
    public mutating func get(_ path: String, _ handler: @escaping Handler) {
        add(.get, path, bodyLimit: 0, handler)
    }

    public mutating func post(_ path: String, bodyLimit: Int = HTTPLimits.defaultBodyBytes, _ handler: @escaping Handler) {
        add(.post, path, bodyLimit: bodyLimit, handler)
    }

    func resolve(_ method: HTTPMethod, _ path: String) -> Resolution {
        guard let methods = routes[path] else { return .notFound }
        if let route = methods[method] ?? (method == .head ? methods[.get] : nil) { return .route(route) }
        var allowed = Set(methods.keys)
        if allowed.contains(.get) { allowed.insert(.head) }
        return .methodNotAllowed(allowed: allowed.sorted { $0.rawValue < $1.rawValue })
    }
}
