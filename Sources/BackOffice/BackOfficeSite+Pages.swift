import CustomerAggregate
import CustomerService
import HTTPServer

/// The operators' pages (`OperatorPages`) behind the session gate: every path under `/backoffice/` that is not
/// sign-in or sign-out needs a signed-in operator (else the login page), and every POST must pass `acceptsForm`
/// (same origin and this session's CSRF token) before a page sees it.
extension BackOfficeSite {
    func addPageRoutes(to router: inout Router) {
        let pages = OperatorPages(service: service)
        router.get(OperatorPages.stylesheetPath) { _ in OperatorPages.stylesheet() }
        router.get(Self.homePath) { request in try page(request, pages) }
        for method in [HTTPMethod.get, .post] {
            router.add(method, pathsUnder: OperatorPages.pathPrefix) { request in try page(request, pages) }
        }
    }

    func page(_ request: HTTPRequest, _ pages: OperatorPages) throws -> HTTPResponse {
        try signedIn(request) { session in
            if request.method == .post, !(try acceptsForm(request, try request.form(), of: session)) { return refusedForm(request) }
            let texts = BackOfficeTexts.preferred(acceptLanguage: request.headers["Accept-Language"], fallback: try service.settings().defaultLocale)
            let context = PageContext(principal: session.principal, csrfToken: session.csrfToken, texts: texts)
            return try pages.respond(to: request, context: context) ?? OperatorPages.notFound(context)
        }
    }
}
