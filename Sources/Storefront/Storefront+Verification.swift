import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The verification link (`/register/confirm?token=…`) and the request for a new verification email.
extension Storefront {
    /// GET: "Confirm your email address" with a button, or why the link does not work.
    func showConfirmation(_ request: HTTPRequest) throws -> HTTPResponse {
        try showLink(request, kind: .emailVerification) { texts, token in StorefrontPages.confirm(texts, token: token) }
    }

    /// POST: verifies (the VerifyEmail command, group-committed) and confirms, or says why the link does not work.
    func confirm(_ request: HTTPRequest) throws -> HTTPResponse {
        let (_, token, texts, refusal) = try linkForm(request, kind: .emailVerification)
        if let refusal { return refusal }
        do {
            _ = try commands.verifyEmail(token: token, metadata: metadata)
            return StorefrontPages.confirmed(texts)
        } catch let refused as DomainError {
            guard let page = try linkProblem(
                after: refused, token: token, kind: .emailVerification, texts: texts, client: request.remoteAddress)
            else { throw refused }
            return page
        }
    }

    /// POST: queues a new verification email when the address belongs to an Unverified customer, and answers the
    /// same neutral page whatever the address (no account enumeration). Every request counts towards the limit.
    func resend(_ request: HTTPRequest) throws -> HTTPResponse {
        let form = try request.form()
        let texts = try texts(requested: form["_locale"])
        guard try isSameOrigin(request) else { return StorefrontPages.crossSite(texts) }
        if let wait = resends.retryAfter(request.remoteAddress) { return StorefrontPages.tooMany(texts, retryAfter: wait) }
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        // Only an email address: a reference (`DE--3`) would find a customer too, but the page asks for the address.
        guard email.contains("@") else {
            return StorefrontPages.page(texts, title: texts.resendHeading, status: .unprocessableContent) {
                StorefrontPages.resendForm(texts, problem: texts.resendEmailMissing)
            }
        }
        resends.record(request.remoteAddress)
        do {
            _ = try commands.resendVerification(to: email, metadata: metadata)
        } catch is DomainError {
            // Unknown address, already verified: the answer must not tell.
        }
        return StorefrontPages.message(texts, title: texts.resendDoneTitle, lead: texts.resendDoneLead)
    }
}
