import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The operators' side of `serve`: sign-in, the back office's pages and the admin API, as one route set kept
/// apart from the storefront's. Every handler calls the application layer; writes go through the group commit.
public struct BackOfficeSite: Sendable {
    public let service: CustomerService
    public let commands: GroupCommittedCommands
    public let sessionPolicy: SessionPolicy
    let listenOrigins: [String]
    /// Failed operator sign-ins and failed API keys, each counted per client address (429 with `Retry-After`
    /// beyond the limit), on top of the per-operator lock-out: guessing from one address stays slow whichever
    /// names it tries.
    let signInFailures: ClientRateLimiter
    let apiKeyFailures: ClientRateLimiter

    public static let loginPath = "/backoffice/login"
    public static let logoutPath = "/backoffice/logout"
    public static let homePath = "/backoffice"

    public init(
        service: CustomerService, listenOrigins: [String] = [], sessionPolicy: SessionPolicy = .standard, commitBatch: Int = 256,
        limits: BackOfficeLimits = BackOfficeLimits()
    ) {
        self.service = service
        signInFailures = ClientRateLimiter(limit: limits.signInFailures, window: limits.window)
        apiKeyFailures = ClientRateLimiter(limit: limits.apiKeyFailures, window: limits.window)
        commands = GroupCommittedCommands(service: service, maximumBatch: commitBatch)
        self.sessionPolicy = sessionPolicy
        self.listenOrigins = listenOrigins
    }

    public func router() -> Router {
        var router = Router()
        router.get(Self.loginPath) { request in try showLogin(request) }
        router.post(Self.loginPath) { request in try login(request) }
        router.post(Self.logoutPath) { request in try logout(request) }
        addPageRoutes(to: &router)
        addAPIRoutes(to: &router)
        return router
    }

    func showLogin(_ request: HTTPRequest) throws -> HTTPResponse {
        if try session(of: request) != nil { return .seeOther(Self.homePath) }
        return BackOfficePages.login(visitorTexts(request))
    }

    func login(_ request: HTTPRequest) throws -> HTTPResponse {
        guard try isSameOrigin(request) else { return refusedForm(request) }
        let texts = visitorTexts(request)
        // Checked before the password is hashed, so a blocked address costs no hashing either.
        if let wait = signInFailures.retryAfter(request.remoteAddress) { return BackOfficePages.tooManySignIns(texts, retryAfter: wait) }
        let form = try request.form()
        let name = form["name"] ?? ""
        do {
            let session = try service.signInOperator(
                name: name, password: form["password"] ?? "", policy: sessionPolicy,
                metadata: CommandMetadata(actor: "backoffice"))
            var answer = HTTPResponse.seeOther(Self.homePath)
            answer.headers.add("Set-Cookie", try sessionCookie(session.id, maxAge: Int(sessionPolicy.maximumAge)))
            return answer
        } catch let refusal as DomainError where refusal.code == .authenticationFailed || refusal.code == .accountLocked {
            // Locked or not, the same words: the form never tells which operators exist.
            signInFailures.record(request.remoteAddress)
            return BackOfficePages.login(texts, name: name, problem: texts.signInRefused, status: .unauthorized)
        }
    }

    func logout(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let session = try session(of: request) else { return .seeOther(Self.loginPath) }
        guard try acceptsForm(request, try request.form(), of: session) else { return refusedForm(request) }
        try service.signOut(sessionId: session.id)
        var answer = HTTPResponse.seeOther(Self.loginPath)
        answer.headers.add("Set-Cookie", try sessionCookie("", maxAge: 0))
        return answer
    }
}

/// How many failures one client address may have within `window` seconds before it gets 429: the storefront's
/// numbers for customers' sign-ins (10 in 10 minutes), for operators' sign-ins and for API keys alike.
public struct BackOfficeLimits: Sendable {
    public var signInFailures: Int
    public var apiKeyFailures: Int
    public var window: Double

    public init(signInFailures: Int = 10, apiKeyFailures: Int = 10, window: Double = 600) {
        self.signInFailures = signInFailures
        self.apiKeyFailures = apiKeyFailures
        self.window = window
    }
}
