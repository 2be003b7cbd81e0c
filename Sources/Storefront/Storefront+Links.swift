import CustomerAggregate
import CustomerService
import HTTPServer

/// What both links of the emails share: showing a link's page without using its token, and the page for a link
/// that does not work.
extension Storefront {
    /// GET of a link: `page` when its token would work now, else why not. Never uses the token (mail scanners
    /// and link previews fetch links before the customer clicks). A token that is not one of ours counts as a
    /// failed attempt of this client.
    func showLink(
        _ request: HTTPRequest, kind: TokenKind, page: (PageTexts, String) -> HTTPResponse
    ) throws -> HTTPResponse {
        let token = request.query["token"] ?? ""
        let check = try service.checkToken(token, kind: kind)
        let texts = try texts(requested: request.query["_locale"]) { check.customerLocale }
        if let wait = tokenFailures.retryAfter(request.remoteAddress) { return StorefrontPages.tooMany(texts, retryAfter: wait) }
        switch check.usability {
        case .usable: return page(texts, token)
        case .unknown: tokenFailures.record(request.remoteAddress)
        default: break
        }
        return linkProblem(check.usability, kind: kind, texts)
    }

    /// The checks before a link's form is acted on: the texts, then 403 for another site's form and 429 for a
    /// client over its limit (`refusal`).
    func linkForm(_ request: HTTPRequest, kind: TokenKind) throws -> (form: URLEncodedForm, token: String, texts: PageTexts, refusal: HTTPResponse?) {
        let form = try request.form()
        let token = form["token"] ?? ""
        let texts = try texts(requested: form["_locale"]) { try service.checkToken(token, kind: kind).customerLocale }
        if !(try isSameOrigin(request)) { return (form, token, texts, StorefrontPages.crossSite(texts)) }
        if let wait = tokenFailures.retryAfter(request.remoteAddress) {
            return (form, token, texts, StorefrontPages.tooMany(texts, retryAfter: wait))
        }
        return (form, token, texts, nil)
    }

    /// The page for a command refused because of its token, or nil when the refusal is about something else.
    func linkProblem(after refused: DomainError, token: String, kind: TokenKind, texts: PageTexts, client: String) throws -> HTTPResponse? {
        let usability: TokenUsability
        switch refused.code {
        case .tokenUnknown:
            tokenFailures.record(client)
            usability = .unknown
        case .wrongTokenKind: usability = .unknown  // ours, of the other link: not a guess
        case .tokenUsed: usability = .used
        case .tokenSuperseded: usability = .superseded
        case .alreadyVerified: usability = .alreadyVerified
        case .tokenExpired: usability = try service.checkToken(token, kind: kind).usability
        default: return nil
        }
        return linkProblem(usability, kind: kind, texts)
    }

    /// One page per reason a link does not work: a verification link's page offers a new email, a password
    /// link's says whom to ask.
    func linkProblem(_ usability: TokenUsability, kind: TokenKind, _ texts: PageTexts) -> HTTPResponse {
        let gone = HTTPStatus(410, "Gone")
        let (title, lead, status): (String, String, HTTPStatus)
        switch usability {
        case .usable, .alreadyVerified:
            guard kind == .passwordSet else {
                return StorefrontPages.message(texts, title: texts.alreadyConfirmedTitle, lead: texts.alreadyConfirmedLead)
            }
            (title, lead, status) = (texts.unknownLinkTitle, texts.unknownLinkLead, .notFound)
        case .unknown: (title, lead, status) = (texts.unknownLinkTitle, texts.unknownLinkLead, .notFound)
        case .used: (title, lead, status) = (texts.usedLinkTitle, texts.usedLinkLead, gone)
        case .expired: (title, lead, status) = (texts.expiredLinkTitle, texts.expiredLinkLead, gone)
        case .superseded: (title, lead, status) = (texts.supersededLinkTitle, texts.supersededLinkLead, gone)
        }
        return kind == .emailVerification
            ? StorefrontPages.verificationLinkProblem(texts, title: title, lead: lead, status: status)
            : StorefrontPages.passwordLinkProblem(texts, title: title, lead: lead, status: status)
    }
}
