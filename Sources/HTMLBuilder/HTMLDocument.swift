/// A whole page: doctype, `<html lang>`, a head with charset, viewport, title and an optional same-origin
/// stylesheet, and the body. Pages need no scripts (the server's Content-Security-Policy allows none).
///
///     let page = HTMLDocument(language: "de", title: "E-Mail-Adresse bestätigen", stylesheet: "/static/site.css") {
///         HTMLNode.element(.h1) { "E-Mail-Adresse bestätigen" }
///         HTMLNode.element(.form, [.method(.post), .action("/register/confirm")]) {
///             HTMLNode.element(.input, [.type("hidden"), .name("token"), .value(token)])
///             HTMLNode.element(.button, [.type("submit")]) { "Bestätigen" }
///         }
///     }
///     return .html(page.render())
public struct HTMLDocument: Sendable, Equatable {
    public let language: String
    public let title: String
    public let stylesheet: String?
    public let body: [HTMLNode]

    public init(language: String, title: String, stylesheet: String? = nil, @HTMLContentBuilder body: () -> [HTMLNode]) {
        self.language = language
        self.title = title
        self.stylesheet = stylesheet
        self.body = body()
    }

    public func render() -> String {
        let page = HTMLNode.element(.html, [.lang(language)]) {
            HTMLNode.element(.head) {
                HTMLNode.element(.meta, [.charset("utf-8")])
                HTMLNode.element(.meta, [.name("viewport"), .content("width=device-width, initial-scale=1")])
                HTMLNode.element(.title) { title }
                if let stylesheet {
                    HTMLNode.element(.link, [.rel("stylesheet"), .href(stylesheet)])
                }
            }
            HTMLNode.element(.body) { body }
        }
        return "<!DOCTYPE html>\n" + page.render() + "\n"
    }
}
