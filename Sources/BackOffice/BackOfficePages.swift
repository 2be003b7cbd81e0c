import CustomerAggregate
import HTMLBuilder
import HTTPServer

/// The pages a visitor sees before signing in (the sign-in form, a refused form, too many failed sign-ins), in
/// the browser's language and with the back office's stylesheet, built with the escaping HTML builder.
enum BackOfficePages {
    static func page(_ texts: BackOfficeTexts, title: String, status: HTTPStatus = .ok, @HTMLContentBuilder content: () -> [HTMLNode]) -> HTTPResponse {
        let body = content()
        let document = HTMLDocument(language: texts.language, title: "\(title) · \(texts.productName)", stylesheet: BackOfficeLayout.stylesheetPath) {
            HTMLNode.element(.main) {
                HTMLNode.element(.h1) { title }
                body
            }
        }
        return .html(document.render(), status: status)
    }

    static func message(_ texts: BackOfficeTexts, title: String, lead: String, status: HTTPStatus) -> HTTPResponse {
        page(texts, title: title, status: status) { HTMLNode.element(.p) { lead } }
    }

    static func login(_ texts: BackOfficeTexts, name: String = "", problem: String? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        page(texts, title: texts.signInTitle, status: status) {
            if let problem { HTMLNode.element(.p, [.id("login-problem"), .class("problem"), .role("alert")]) { problem } }
            HTMLNode.element(.form, [.method(.post), .action(BackOfficeSite.loginPath)]) {
                HTMLNode.element(.label, [.for("name")]) { texts.signInName }
                HTMLNode.element(.input, [.id("name"), .type("text"), .name("name"), .value(name), .autocomplete("username"), .required, .maxlength(64)])
                HTMLNode.element(.label, [.for("password")]) { texts.signInPassword }
                HTMLNode.element(.input, [.id("password"), .type("password"), .name("password"), .autocomplete("current-password"), .required, .maxlength(128)])
                HTMLNode.element(.button, [.type("submit")]) { texts.signInButton }
            }
        }
    }

    /// 429: this address failed to sign in too often; the form stays away until `seconds` have passed.
    static func tooManySignIns(_ texts: BackOfficeTexts, retryAfter seconds: Int) -> HTTPResponse {
        var answer = page(texts, title: texts.tooManySignInsTitle, status: .tooManyRequests) {
            HTMLNode.element(.p, [.id("login-problem"), .class("problem"), .role("alert")]) { texts.tooManySignInsLead }
        }
        answer.headers.set("Retry-After", String(seconds))
        return answer
    }
}
