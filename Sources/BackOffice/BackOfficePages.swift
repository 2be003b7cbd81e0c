import CustomerAggregate
import HTMLBuilder
import HTTPServer

/// The sign-in pages of the back office, built with the escaping HTML builder.
enum BackOfficePages {
    static func page(title: String, status: HTTPStatus = .ok, @HTMLContentBuilder content: () -> [HTMLNode]) -> HTTPResponse {
        let body = content()
        let document = HTMLDocument(language: "en", title: title) {
            HTMLNode.element(.main) {
                HTMLNode.element(.h1) { title }
                body
            }
        }
        return .html(document.render(), status: status)
    }

    static func message(title: String, lead: String, status: HTTPStatus) -> HTTPResponse {
        page(title: title, status: status) { HTMLNode.element(.p) { lead } }
    }

    static func login(name: String = "", problem: String? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        page(title: "Back office sign-in", status: status) {
            if let problem { HTMLNode.element(.p, [.id("login-problem"), .class("problem"), .role("alert")]) { problem } }
            HTMLNode.element(.form, [.method(.post), .action(BackOfficeSite.loginPath)]) {
                HTMLNode.element(.label, [.for("name")]) { "Operator name" }
                HTMLNode.element(.input, [.id("name"), .type("text"), .name("name"), .value(name), .autocomplete("username"), .required, .maxlength(64)])
                HTMLNode.element(.label, [.for("password")]) { "Password" }
                HTMLNode.element(.input, [.id("password"), .type("password"), .name("password"), .autocomplete("current-password"), .required, .maxlength(128)])
                HTMLNode.element(.button, [.type("submit")]) { "Sign in" }
            }
        }
    }

    /// The form that signs out, with the session's CSRF token (pages of the back office put it in their header).
    static func logoutForm(_ session: BackOfficeSession) -> HTMLNode {
        .element(.form, [.method(.post), .action(BackOfficeSite.logoutPath)]) {
            HTMLNode.element(.input, [.type("hidden"), .name(BackOfficeSite.csrfField), .value(session.csrfToken)])
            HTMLNode.element(.button, [.type("submit")]) { "Sign out" }
        }
    }

    static func home(_ session: BackOfficeSession) -> HTTPResponse {
        page(title: "Back office") {
            HTMLNode.element(.p, [.id("signed-in")]) { "Signed in as \(session.principal.name) (\(session.principal.role.rawValue))." }
            logoutForm(session)
        }
    }
}
