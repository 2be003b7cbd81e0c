import CustomerAggregate
import CustomerService
import HTTPServer

/// The gate every back-office page goes through: the signed-in operator of a request and the CSRF token its
/// forms must carry. Pages call `BackOfficeSite.signedIn(_:_:)`, which answers a request without a valid session
/// with a redirect to the login page, and `BackOfficeSite.acceptsForm(_:of:)` before acting on a POSTed form.
public struct BackOfficeSession: Sendable, Equatable {
    public let principal: Principal
    /// Put into every form as the hidden field `BackOfficeSite.csrfField`.
    public let csrfToken: String
    let id: String
}

extension BackOfficeSite {
    public static let cookieName = "ces_session"
    public static let csrfField = "_csrf"
    public static let cookiePath = "/backoffice"

    /// The live session named by the request's cookie, or nil.
    public func session(of request: HTTPRequest) throws -> BackOfficeSession? {
        guard let id = Self.cookie(Self.cookieName, in: request),
              let session = try service.operatorSession(id: id, policy: sessionPolicy)
        else { return nil }
        return BackOfficeSession(principal: session.principal, csrfToken: session.csrfToken, id: session.id)
    }

    /// Runs `page` for a signed-in operator; anyone else is sent to the login page (303).
    public func signedIn(_ request: HTTPRequest, _ page: (BackOfficeSession) throws -> HTTPResponse) throws -> HTTPResponse {
        guard let session = try session(of: request) else { return .seeOther(Self.loginPath) }
        return try page(session)
    }

    /// Whether a POSTed form may act for `session`: it came from our own pages (same origin) and carries this
    /// session's CSRF token (a missing token, or another session's, is refused).
    public func acceptsForm(_ request: HTTPRequest, _ form: URLEncodedForm, of session: BackOfficeSession) throws -> Bool {
        guard try isSameOrigin(request), let token = form[Self.csrfField] else { return false }
        return service.isValidCSRFToken(token, forSession: session.id)
    }

    /// What a page answers to a form that `acceptsForm` refused.
    public func refusedForm(_ request: HTTPRequest) -> HTTPResponse {
        let texts = visitorTexts(request)
        return BackOfficePages.message(texts, title: texts.formRefusedTitle, lead: texts.formRefusedLead, status: .forbidden)
    }

    /// The texts for a request's `Accept-Language`, falling back to the store's default locale (English when the
    /// settings cannot be read: a visitor's page never fails for that).
    func visitorTexts(_ request: HTTPRequest) -> BackOfficeTexts {
        BackOfficeTexts.preferred(acceptLanguage: request.headers["Accept-Language"], fallback: (try? service.settings())?.defaultLocale)
    }

    /// The metadata of a command run for `principal`: its actor name (`operator:alice`, `api-key:crm`) is what
    /// the events record, whatever the client claims.
    public func metadata(for principal: Principal, requestID: String? = nil) -> CommandMetadata {
        CommandMetadata(actor: principal.actorName, requestID: requestID)
    }

    /// The value of cookie `name` in the request's `Cookie` fields.
    static func cookie(_ name: String, in request: HTTPRequest) -> String? {
        for field in request.headers.values("Cookie") {
            for pair in field.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, String(parts[0]).trimmingWhitespace() == name {
                    return String(parts[1]).trimmingWhitespace()
                }
            }
        }
        return nil
    }

    /// `Set-Cookie` for the session: script-proof, never sent cross-site, only to the back office's paths, and
    /// only over TLS when the store's base URL is https.
    func sessionCookie(_ value: String, maxAge: Int?) throws -> String {
        var cookie = "\(Self.cookieName)=\(value); Path=\(Self.cookiePath); HttpOnly; SameSite=Strict"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        if try service.settings().baseURL.lowercased().hasPrefix("https:") { cookie += "; Secure" }
        return cookie
    }

    func isSameOrigin(_ request: HTTPRequest) throws -> Bool {
        let base = SameOrigin.origin(ofBaseURL: try service.settings().baseURL)
        return SameOrigin.isAllowed(request, allowedOrigins: [base].compactMap { $0 } + listenOrigins)
    }
}
