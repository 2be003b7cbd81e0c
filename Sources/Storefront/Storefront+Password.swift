import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The password-set link (`/password/restore?token=…`): a form for the new password, and setting it.
extension Storefront {
    /// GET: the form, or why the link does not work.
    func showPasswordForm(_ request: HTTPRequest) throws -> HTTPResponse {
        try showLink(request, kind: .passwordSet) { texts, token in StorefrontPages.passwordForm(texts, token: token) }
    }

    /// POST: sets the password (the SetPassword command). A broken rule of the policy is shown beside the field;
    /// the form comes back empty (a password is never sent back to the browser).
    func setPassword(_ request: HTTPRequest) throws -> HTTPResponse {
        let (form, token, texts, refusal) = try linkForm(request, kind: .passwordSet)
        if let refusal { return refusal }
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
            if refused.code == .passwordPolicy || refused.code == .validationFailed {
                return StorefrontPages.passwordForm(
                    texts, token: token, problems: texts.say(passwordRefusal: refused), status: .unprocessableContent)
            }
            guard let page = try linkProblem(after: refused, token: token, kind: .passwordSet, texts: texts, client: request.remoteAddress)
            else { throw refused }
            return page
        }
    }
}
