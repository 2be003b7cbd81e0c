import CustomerAggregate
import HTMLBuilder
import HTTPServer

/// The frame of every back-office page: the navigation (the admin pages only for admins), who is signed in with
/// a sign-out button, the title as the heading, an optional flash, then the page's content.
enum BackOfficeLayout {
    static let stylesheetPath = "/backoffice/static/backoffice.css"
    static let logoutPath = "/backoffice/logout"

    enum Section: Sendable {
        case customers, audit, outbox, settings, operators, none
    }

    static func page(
        _ context: PageContext, title: String, section: Section, status: HTTPStatus = .ok, flash: String? = nil,
        @HTMLContentBuilder content: () -> [HTMLNode]
    ) -> HTTPResponse {
        let texts = context.texts
        let body = content()
        let document = HTMLDocument(language: texts.language, title: "\(title) · \(texts.productName)", stylesheet: stylesheetPath) {
            HTMLNode.element(.header) {
                HTMLNode.element(.nav, [.ariaLabel(texts.productName)]) {
                    HTMLNode.element(.ul) {
                        navLink(texts.navCustomers, "/backoffice/customers", current: section == .customers)
                        navLink(texts.navAudit, "/backoffice/audit", current: section == .audit)
                        navLink(texts.navOutbox, "/backoffice/outbox", current: section == .outbox)
                        if context.principal.role.mayAdminister {
                            navLink(texts.navSettings, "/backoffice/settings", current: section == .settings)
                            navLink(texts.navOperators, "/backoffice/operators", current: section == .operators)
                        }
                    }
                }
                HTMLNode.element(.form, [.method(.post), .action(logoutPath), .class("signed-in")]) {
                    HTMLNode.element(.span, [.id("signed-in")]) {
                        "\(texts.signedInAs) \(context.principal.name) (\(context.principal.role.rawValue))."
                    }
                    FormControls.csrf(context)
                    HTMLNode.element(.button, [.type("submit"), .id("sign-out")]) { texts.signOut }
                }
            }
            HTMLNode.element(.main) {
                HTMLNode.element(.h1) { title }
                if let flash {
                    HTMLNode.element(.p, [.id("flash"), .class("flash"), .role("status")]) { flash }
                }
                body
            }
        }
        return .html(document.render(), status: status)
    }

    static func navLink(_ text: String, _ href: String, current: Bool) -> HTMLNode {
        .element(.li) {
            HTMLNode.element(.a, current ? [.href(href), .ariaCurrent("page")] : [.href(href)]) { text }
        }
    }

    static func message(_ context: PageContext, title: String, lead: String, status: HTTPStatus) -> HTTPResponse {
        page(context, title: title, section: .none, status: status) { HTMLNode.element(.p) { lead } }
    }

    static func forbidden(_ context: PageContext) -> HTTPResponse {
        message(context, title: context.texts.forbiddenTitle, lead: context.texts.forbiddenLead, status: .forbidden)
    }

    static func notFound(_ context: PageContext) -> HTTPResponse {
        message(context, title: context.texts.notFoundTitle, lead: context.texts.notFoundLead, status: .notFound)
    }

    static func csrfRefused(_ context: PageContext) -> HTTPResponse {
        message(context, title: context.texts.badRequestTitle, lead: context.texts.csrfRefusedLead, status: .forbidden)
    }

    /// Plain and readable; the CSP allows stylesheets from this origin only and no scripts. Focus is always
    /// visible, so every control can be reached and seen with the keyboard alone.
    static let stylesheet = """
        body { font-family: system-ui, sans-serif; line-height: 1.45; margin: 0; background: #f4f5f7; color: #1d1d1b; }
        header { display: flex; justify-content: space-between; align-items: center; padding: 0.5rem 1.5rem; background: #1f2a44; color: #fff; }
        header a, header button { color: #fff; }
        nav ul { list-style: none; display: flex; gap: 1.25rem; margin: 0; padding: 0; }
        nav a[aria-current] { font-weight: 700; text-decoration: underline; }
        header form { display: flex; gap: 0.75rem; align-items: center; }
        header button { background: transparent; border: 1px solid #fff; padding: 0.25rem 0.75rem; cursor: pointer; }
        main { max-width: 72rem; margin: 1.5rem auto; padding: 1.5rem 2rem; background: #fff; border-radius: 6px; }
        h1 { font-size: 1.5rem; margin-top: 0; }
        h2 { font-size: 1.15rem; margin-top: 2rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #e2e4e8; vertical-align: top; }
        label { display: block; margin-top: 0.75rem; font-weight: 600; }
        label.inline, .checkbox label { display: inline; font-weight: 400; }
        .field-label { text-transform: uppercase; font-size: 0.85rem; letter-spacing: 0.02em; }
        input, select, textarea { padding: 0.4rem; font-size: 1rem; }
        form.stacked input:not([type=checkbox]), form.stacked select, form.stacked textarea { display: block; width: 100%; max-width: 28rem; box-sizing: border-box; }
        button, .button { margin-top: 0.75rem; padding: 0.45rem 1rem; font-size: 1rem; cursor: pointer; }
        .toolbar { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; margin-bottom: 1rem; }
        .toolbar label { margin-top: 0; }
        .problem { color: #a4161a; margin: 0.2rem 0 0; }
        [aria-invalid=true] { border: 2px solid #a4161a; }
        .flash { background: #e6f4ea; border-left: 4px solid #1e7b34; padding: 0.5rem 0.75rem; }
        .error-summary { background: #fdecea; border-left: 4px solid #a4161a; padding: 0.5rem 0.75rem; }
        a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #f5a623; outline-offset: 2px; }
        .actions form { display: inline-block; margin-right: 0.75rem; }

        """
}
