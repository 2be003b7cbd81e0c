import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The password-set link (`/password/restore?token=…`): a form for the new password, and setting it.
extension Storefront {
    /// GET: the form, or why the link does not work. Never uses the token.
    func showPasswordForm(_ request: HTTPRequest) throws -> HTTPResponse {
        let token = request.query["token"] ?? ""
        let check = try service.checkToken(token, kind: .passwordSet)
        let texts = try texts(requested: request.query["_locale"]) { check.customerLocale }
        if let wait = tokenFailures.retryAfter(request.remoteAddress) { return StorefrontPages.tooMany(texts, retryAfter: wait) }
        switch check.usability {
        case .usable: return StorefrontPages.passwordForm(texts, token: token)
        case .unknown: tokenFailures.record(request.remoteAddress)
        default: break
        }
        return passwordProblem(check.usability, texts)
    }

    /// POST: sets the password (the SetPassword command). A broken rule of the policy is shown beside the field;
    /// the form comes back empty (a password is never sent back to the browser).
    func setPassword(_ request: HTTPRequest) throws -> HTTPResponse {
        let form = try request.form()
        let token = form["token"] ?? ""
        let texts = try texts(requested: form["_locale"]) { try service.checkToken(token, kind: .passwordSet).customerLocale }
        guard try isSameOrigin(request) else { return StorefrontPages.crossSite(texts) }
        if let wait = tokenFailures.retryAfter(request.remoteAddress) { return StorefrontPages.tooMany(texts, retryAfter: wait) }
        let password = form["password"] ?? ""
        guard !password.isEmpty, let repeated = form["password-repeat"], !repeated.isEmpty else {
            return StorefrontPages.passwordForm(texts, token: token, problems: [texts.passwordMissing], status: .unprocessableContent)
        }
        guard password == repeated else {
            return StorefrontPages.passwordForm(texts, token: token, problems: [texts.passwordMismatch], status: .unprocessableContent)
        }
        guard let credentials else {
            return StorefrontPages.message(texts, title: texts.passwordTitle, lead: texts.newPasswordLinkHint, status: .serviceUnavailable)
        }
        do {
            _ = try credentials.setPassword(token: token, password: password, metadata: metadata)
            return StorefrontPages.message(texts, title: texts.passwordSetTitle, lead: texts.passwordSetLead)
        } catch let refused as DomainError {
            switch refused.code {
            case .passwordPolicy, .validationFailed:
                let rules = refused.problems.filter { $0.field == "password" }.map(\.message)
                return StorefrontPages.passwordForm(
                    texts, token: token, problems: rules.isEmpty ? [refused.message] : rules, status: .unprocessableContent)
            case .tokenUnknown:
                tokenFailures.record(request.remoteAddress)
                return passwordProblem(.unknown, texts)
            case .tokenUsed: return passwordProblem(.used, texts)
            case .tokenSuperseded: return passwordProblem(.superseded, texts)
            case .tokenExpired: return passwordProblem(try service.checkToken(token, kind: .passwordSet).usability, texts)
            default: throw refused
            }
        }
    }

    /// One page per reason a password link does not work.
    func passwordProblem(_ usability: TokenUsability, _ texts: PageTexts) -> HTTPResponse {
        let gone = HTTPStatus(410, "Gone")
        switch usability {
        case .unknown, .usable, .alreadyVerified:
            return StorefrontPages.passwordLinkProblem(texts, title: texts.unknownLinkTitle, lead: texts.unknownLinkLead, status: .notFound)
        case .used:
            return StorefrontPages.passwordLinkProblem(texts, title: texts.usedLinkTitle, lead: texts.usedLinkLead, status: gone)
        case .expired:
            return StorefrontPages.passwordLinkProblem(texts, title: texts.expiredLinkTitle, lead: texts.expiredLinkLead, status: gone)
        case .superseded:
            return StorefrontPages.passwordLinkProblem(texts, title: texts.supersededLinkTitle, lead: texts.supersededLinkLead, status: gone)
        }
    }
}
