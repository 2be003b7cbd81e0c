import CustomerAggregate
import CustomerService
import HTTPServer

/// The customer's pages of `serve`: the links of the emails land here. Every handler calls one application
/// function (group-committed when it writes) and renders the result; none touches the store.
///
///     let storefront = Storefront(service: service, servesCredentials: true, listenOrigins: ["http://127.0.0.1:8080"])
///     let server = HTTPServer(configuration: .init(port: 8080), router: storefront.router())
public struct Storefront: Sendable {
    public let service: CustomerService
    let commands: GroupCommittedCommands
    /// Setting passwords and signing in; nil answers those routes with 503.
    let credentials: (any CredentialCommands)?
    let limits: StorefrontLimits
    /// Origins besides the base URL's from which form POSTs are ours (the address `serve` listens on).
    let listenOrigins: [String]
    /// Recorded as the actor of every command the pages run.
    let actor: String
    let tokenFailures: ClientRateLimiter
    let resends: ClientRateLimiter
    let signInFailures: ClientRateLimiter

    /// `commitBatch` is the most commands one write transaction takes (1: one durable commit per request);
    /// `servesCredentials` answers the password form and the sign-in API (else 503).
    public init(
        service: CustomerService, servesCredentials: Bool = false, listenOrigins: [String] = [], limits: StorefrontLimits = StorefrontLimits(),
        actor: String = "storefront", commitBatch: Int = Storefront.defaultCommitBatch
    ) {
        self.service = service
        commands = GroupCommittedCommands(service: service, maximumBatch: commitBatch)
        credentials = servesCredentials ? commands : nil
        self.limits = limits
        self.listenOrigins = listenOrigins
        self.actor = actor
        tokenFailures = ClientRateLimiter(limit: limits.tokenFailures, window: limits.window)
        resends = ClientRateLimiter(limit: limits.resends, window: limits.window)
        signInFailures = ClientRateLimiter(limit: limits.signInFailures, window: limits.window)
    }

    /// Commands per write transaction at most, by default: large enough that a burst of every connection `serve`
    /// holds at once (256) commits together, small enough that one transaction stays short.
    public static let defaultCommitBatch = 256
    /// The largest `commitBatch` accepted.
    public static let maximumCommitBatch = 4096

    /// Write transactions the pages' commands committed (fewer than the commands when requests overlapped).
    public var groupCommits: Int { commands.batcher.commitCount }

    public func router() -> Router {
        var router = Router()
        router.get(StorefrontPages.stylesheetPath) { _ in
            HTTPResponse(headers: ["Content-Type": "text/css; charset=utf-8"], body: Array(StorefrontPages.stylesheet.utf8))
        }
        router.get("/register/confirm") { request in try showConfirmation(request) }
        router.post("/register/confirm") { request in try confirm(request) }
        router.post("/register/resend") { request in try resend(request) }
        router.get("/password/restore") { request in try showPasswordForm(request) }
        router.post("/password/restore") { request in try setPassword(request) }
        router.post("/api/authenticate") { request in try authenticate(request) }
        return router
    }

    var metadata: CommandMetadata { CommandMetadata(actor: actor) }

    // MARK: Shared checks

    /// The texts for this request: the `_locale` it asks for, else the customer's (looked up only when needed),
    /// else the store's default.
    func texts(requested: String?, customerLocale: () throws -> String? = { nil }) throws -> PageTexts {
        if let requested, PageTexts.table[requested] != nil { return PageTexts.first(of: [requested]) }
        // The store's settings are read only when the customer's locale has no texts (each read replays them).
        if let locale = try customerLocale(), PageTexts.table[locale] != nil { return PageTexts.first(of: [locale]) }
        return PageTexts.first(of: [try service.settings().defaultLocale])
    }

    /// Whether a POST comes from one of our own pages (the base URL's origin or the address we listen on).
    func isSameOrigin(_ request: HTTPRequest) throws -> Bool {
        // Only an `Origin` without `Sec-Fetch-Site` is compared with our origins: skip reading the settings otherwise.
        guard request.headers["Sec-Fetch-Site"] == nil, request.headers["Origin"] != nil else {
            return SameOrigin.isAllowed(request, allowedOrigins: [])
        }
        let base = SameOrigin.origin(ofBaseURL: try service.settings().baseURL)
        return SameOrigin.isAllowed(request, allowedOrigins: [base].compactMap { $0 } + listenOrigins)
    }
}

/// How many failures or requests a client address may have in a window before it gets 429.
public struct StorefrontLimits: Sendable {
    /// Links whose token is not one of ours (guessing), on GET and POST.
    public var tokenFailures: Int
    /// Requests for a new verification email (each sends an email, whether or not the address is known).
    public var resends: Int
    /// Failed sign-ins.
    public var signInFailures: Int
    public var window: Double

    public init(tokenFailures: Int = 10, resends: Int = 5, signInFailures: Int = 10, window: Double = 600) {
        self.tokenFailures = tokenFailures
        self.resends = resends
        self.signInFailures = signInFailures
        self.window = window
    }
}
