import HTMLBuilder
import HTTPServer

/// The HTML of every storefront page, built with the escaping HTML builder: texts come from `PageTexts`, values
/// (a token, an email address, a rule of the password policy) are placed as text or attribute values, never as
/// markup.
enum StorefrontPages {
    static let stylesheetPath = "/static/storefront.css"

    /// A whole page: its title as the heading, then `content`.
    static func page(
        _ texts: PageTexts, title: String, status: HTTPStatus = .ok, headers: HTTPHeaders = [:],
        @HTMLContentBuilder content: () -> [HTMLNode]
    ) -> HTTPResponse {
        let body = content()
        let document = HTMLDocument(language: texts.language, title: title, stylesheet: stylesheetPath) {
            HTMLNode.element(.main) {
                HTMLNode.element(.h1) { title }
                body
            }
        }
        var response = HTTPResponse.html(document.render(), status: status)
        for (name, value) in headers { response.headers.set(name, value) }
        return response
    }

    static func hidden(_ name: String, _ value: String) -> HTMLNode {
        .element(.input, [.type("hidden"), .name(name), .value(value)])
    }

    /// "Confirm your email address" with one button; posting it uses the token.
    static func confirm(_ texts: PageTexts, token: String) -> HTTPResponse {
        page(texts, title: texts.confirmTitle) {
            HTMLNode.element(.p) { texts.confirmLead }
            HTMLNode.element(.form, [.method(.post), .action("/register/confirm")]) {
                hidden("token", token)
                hidden("_locale", texts.identifier)
                HTMLNode.element(.button, [.type("submit")]) { texts.confirmButton }
            }
        }
    }

    static func message(_ texts: PageTexts, title: String, lead: String, status: HTTPStatus = .ok) -> HTTPResponse {
        page(texts, title: title, status: status) { HTMLNode.element(.p) { lead } }
    }

    /// "Your email address is confirmed.": the same page for every customer of a locale, so it is rendered once
    /// per locale (a burst of confirmations is when this page is busiest).
    static func confirmed(_ texts: PageTexts) -> HTTPResponse {
        confirmedPages[texts.identifier] ?? message(texts, title: texts.confirmedTitle, lead: texts.confirmedLead)
    }

    private static let confirmedPages: [String: HTTPResponse] = PageTexts.table.mapValues { texts in
        message(texts, title: texts.confirmedTitle, lead: texts.confirmedLead)
    }

    /// The form that asks for a new verification email; `problem` is shown beside the field.
    static func resendForm(_ texts: PageTexts, problem: String? = nil) -> HTMLNode {
        .element(.form, [.method(.post), .action("/register/resend")]) {
            HTMLNode.element(.h2) { texts.resendHeading }
            hidden("_locale", texts.identifier)
            HTMLNode.element(.label, [.for("email")]) { texts.emailLabel }
            HTMLNode.element(.input, [
                .id("email"), .type("email"), .name("email"), .autocomplete("email"), .required,
                .maxlength(254), .ariaDescribedBy("email-problem"),
            ])
            if let problem {
                HTMLNode.element(.p, [.id("email-problem"), .class("problem"), .role("alert")]) { problem }
            }
            HTMLNode.element(.button, [.type("submit")]) { texts.resendButton }
        }
    }

    /// A verification link that does not work: why, and a way to get a new email.
    static func verificationLinkProblem(_ texts: PageTexts, title: String, lead: String, status: HTTPStatus) -> HTTPResponse {
        page(texts, title: title, status: status) {
            HTMLNode.element(.p) { lead }
            resendForm(texts)
        }
    }

    /// A password link that does not work: why, and whom to ask for a new one.
    static func passwordLinkProblem(_ texts: PageTexts, title: String, lead: String, status: HTTPStatus) -> HTTPResponse {
        page(texts, title: title, status: status) {
            HTMLNode.element(.p) { lead }
            HTMLNode.element(.p) { texts.newPasswordLinkHint }
        }
    }

    /// The form for a new password; `problems` (the broken rules) are listed beside the field. The form never
    /// carries a password back: both fields are empty on every rendering.
    static func passwordForm(_ texts: PageTexts, token: String, problems: [String] = [], status: HTTPStatus = .ok) -> HTTPResponse {
        page(texts, title: texts.passwordTitle, status: status) {
            HTMLNode.element(.p) { texts.passwordLead }
            HTMLNode.element(.form, [.method(.post), .action("/password/restore")]) {
                hidden("token", token)
                hidden("_locale", texts.identifier)
                HTMLNode.element(.label, [.for("password")]) { texts.newPasswordLabel }
                HTMLNode.element(.input, [
                    .id("password"), .type("password"), .name("password"), .autocomplete("new-password"), .required,
                    .minlength(12), .maxlength(128), .ariaDescribedBy("password-problems"),
                ])
                if !problems.isEmpty {
                    HTMLNode.element(.ul, [.id("password-problems"), .class("problem"), .role("alert")]) {
                        for problem in problems { HTMLNode.element(.li) { problem } }
                    }
                }
                HTMLNode.element(.label, [.for("password-repeat")]) { texts.repeatPasswordLabel }
                HTMLNode.element(.input, [
                    .id("password-repeat"), .type("password"), .name("password-repeat"), .autocomplete("new-password"),
                    .required, .minlength(12), .maxlength(128),
                ])
                HTMLNode.element(.button, [.type("submit")]) { texts.passwordButton }
            }
        }
    }

    static func crossSite(_ texts: PageTexts) -> HTTPResponse {
        message(texts, title: texts.crossSiteTitle, lead: texts.crossSiteLead, status: .forbidden)
    }

    static func tooMany(_ texts: PageTexts, retryAfter seconds: Int) -> HTTPResponse {
        page(texts, title: texts.tooManyTitle, status: .tooManyRequests, headers: ["Retry-After": String(seconds)]) {
            HTMLNode.element(.p) { texts.tooManyLead }
        }
    }

    /// Plain, readable, no external resources (the CSP allows stylesheets from this origin only).
    static let stylesheet = """
        body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; background: #f6f6f4; color: #1d1d1b; }
        main { max-width: 32rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 8px; }
        h1 { font-size: 1.5rem; margin-top: 0; }
        h2 { font-size: 1.1rem; margin-top: 2rem; }
        label { display: block; margin-top: 1rem; font-weight: 600; }
        input { display: block; width: 100%; box-sizing: border-box; padding: 0.5rem; font-size: 1rem; }
        button { margin-top: 1.25rem; padding: 0.6rem 1.2rem; font-size: 1rem; cursor: pointer; }
        .problem { color: #a4161a; margin: 0.25rem 0 0; }

        """
}
