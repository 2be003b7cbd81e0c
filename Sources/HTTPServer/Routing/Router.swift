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
    /// Routes for every path under a prefix (`/api/customers/` → `/api/customers/DE--1/history`), tried after
    /// the exact routes, longest prefix first.
    private var prefixRoutes: [(prefix: String, methods: [HTTPMethod: Route])] = []

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

    /// Registers `handler` for `method` on every path that starts with `prefix` (ending in `/`) and has more
    /// after it; the handler reads the rest from `request.path`.
    public mutating func add(
        _ method: HTTPMethod, pathsUnder prefix: String, bodyLimit: Int = HTTPLimits.defaultBodyBytes, _ handler: @escaping Handler
    ) {
        precondition(prefix.hasPrefix("/") && prefix.hasSuffix("/"), "a route prefix starts and ends with /")
        precondition((0...HTTPLimits.maxBodyBytes).contains(bodyLimit), "a route's body limit must be 0…\(HTTPLimits.maxBodyBytes)")
        let route = Route(bodyLimit: method == .get ? 0 : bodyLimit, handler: handler)
        if let index = prefixRoutes.firstIndex(where: { $0.prefix == prefix }) {
            prefixRoutes[index].methods[method] = route
        } else {
            prefixRoutes.append((prefix, [method: route]))
            prefixRoutes.sort { $0.prefix.count > $1.prefix.count }
        }
    }

    /// Adds every route of `other` (another module's route set, e.g. the back office beside the storefront).
    /// A path both define is a programming error.
    public mutating func include(_ other: Router) {
        for (path, methods) in other.routes {
            for (method, route) in methods {
                precondition(routes[path]?[method] == nil, "\(method.rawValue) \(path) is routed twice")
                routes[path, default: [:]][method] = route
            }
        }
        for entry in other.prefixRoutes {
            precondition(!prefixRoutes.contains { $0.prefix == entry.prefix }, "\(entry.prefix) is routed twice")
            prefixRoutes.append(entry)
        }
        prefixRoutes.sort { $0.prefix.count > $1.prefix.count }
    }

    func resolve(_ method: HTTPMethod, _ path: String) -> Resolution {
        guard let methods = routes[path] ?? prefixRoutes.first(where: { path.hasPrefix($0.prefix) && path.count > $0.prefix.count })?.methods
        else { return .notFound }
        if let route = methods[method] ?? (method == .head ? methods[.get] : nil) { return .route(route) }
        var allowed = Set(methods.keys)
        if allowed.contains(.get) { allowed.insert(.head) }
        return .methodNotAllowed(allowed: allowed.sorted { $0.rawValue < $1.rawValue })
    }
}
