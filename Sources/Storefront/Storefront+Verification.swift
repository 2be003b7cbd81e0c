import CustomerAggregate
import CustomerService
import HTTPServer

/// The verification link (`/register/confirm?token=…`) and the request for a new verification email.
extension Storefront {
    /// GET: shows "Confirm your email address" with a button, or why the link does not work. Never uses the
    /// token: mail scanners and link previews fetch links before the customer clicks.
    func showConfirmation(_ request: HTTPRequest) throws -> HTTPResponse {
        let token = request.query["token"] ?? ""
        let check = try service.checkToken(token, kind: .emailVerification)
        let texts = try texts(requested: request.query["_locale"]) { check.customerLocale }
        if let wait = tokenFailures.retryAfter(request.remoteAddress) { return StorefrontPages.tooMany(texts, retryAfter: wait) }
        switch check.usability {
        case .usable: return StorefrontPages.confirm(texts, token: token)
        case .unknown: tokenFailures.record(request.remoteAddress)
        default: break
        }
        return verificationProblem(check.usability, texts)
    }

    /// POST: verifies (the VerifyEmail command) and confirms, or says why the link does not work.
    func confirm(_ request: HTTPRequest) throws -> HTTPResponse {
        let form = try request.form()
        let token = form["token"] ?? ""
        let texts = try texts(requested: form["_locale"]) { try service.checkToken(token, kind: .emailVerification).customerLocale }
        guard try isSameOrigin(request) else { return StorefrontPages.crossSite(texts) }
        if let wait = tokenFailures.retryAfter(request.remoteAddress) { return StorefrontPages.tooMany(texts, retryAfter: wait) }
        do {
            _ = try commands.verifyEmail(token: token, metadata: metadata)
            return StorefrontPages.message(texts, title: texts.confirmedTitle, lead: texts.confirmedLead)
        } catch let refused as DomainError {
            let usability: TokenUsability
            switch refused.code {
            case .tokenUnknown:
                tokenFailures.record(request.remoteAddress)
                usability = .unknown
            case .tokenUsed: usability = .used
            case .tokenSuperseded: usability = .superseded
            case .alreadyVerified: usability = .alreadyVerified
            case .tokenExpired: usability = try service.checkToken(token, kind: .emailVerification).usability
            default: throw refused
            }
            return verificationProblem(usability, texts)
        }
    }

    /// One page per reason a verification link does not work, each offering a new email.
    func verificationProblem(_ usability: TokenUsability, _ texts: PageTexts) -> HTTPResponse {
        let gone = HTTPStatus(410, "Gone")
        switch usability {
        case .usable, .alreadyVerified:
            return StorefrontPages.message(texts, title: texts.alreadyConfirmedTitle, lead: texts.alreadyConfirmedLead)
        case .unknown:
            return StorefrontPages.verificationLinkProblem(texts, title: texts.unknownLinkTitle, lead: texts.unknownLinkLead, status: .notFound)
        case .used:
            return StorefrontPages.verificationLinkProblem(texts, title: texts.usedLinkTitle, lead: texts.usedLinkLead, status: gone)
        case .expired:
            return StorefrontPages.verificationLinkProblem(texts, title: texts.expiredLinkTitle, lead: texts.expiredLinkLead, status: gone)
        case .superseded:
            return StorefrontPages.verificationLinkProblem(texts, title: texts.supersededLinkTitle, lead: texts.supersededLinkLead, status: gone)
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
