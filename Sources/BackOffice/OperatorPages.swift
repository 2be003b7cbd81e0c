import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer

/// The operators' pages of `serve` (`/backoffice/…`): each handler calls one application function and renders
/// the result; none touches the store and none holds a rule of its own.
///
/// The session gate (sign-in, cookie, CSRF) sits in front: it resolves who is signed in and hands each request
/// over with a `PageContext`. The pages check again what concerns them — the role a page or a post needs, and
/// that a post carries the session's CSRF token — so that no route is open if it is ever registered without the
/// gate.
///
///     let pages = OperatorPages(service: service)
///     if let response = try pages.respond(to: request, context: PageContext(principal: p, csrfToken: t)) { … }
public struct OperatorPages: Sendable {
    public let service: CustomerService

    public init(service: CustomerService) {
        self.service = service
    }

    /// The stylesheet (no session needed: it holds no data).
    public static let stylesheetPath = BackOfficeLayout.stylesheetPath
    public static func stylesheet() -> HTTPResponse {
        HTTPResponse(headers: ["Content-Type": "text/css; charset=utf-8"], body: Array(BackOfficeLayout.stylesheet.utf8))
    }

    /// The page for a path under the prefix that is no page (404, in the frame of the back office).
    public static func notFound(_ context: PageContext) -> HTTPResponse { BackOfficeLayout.notFound(context) }

    /// The paths these pages answer start with this (the gate registers one prefix).
    public static let pathPrefix = "/backoffice/"

    /// The answer to a page request, or nil when no page has this method and path.
    public func respond(to request: HTTPRequest, context: PageContext) throws -> HTTPResponse? {
        let get = request.method == .get || request.method == .head
        let post = request.method == .post
        switch request.path {
        case "/backoffice", "/backoffice/":
            // Where sign-in lands: the Customers page itself, as the platform's back office opens on it.
            return get ? try customerList(request.query, context: context) : nil
        case BackOfficeLayout.stylesheetPath:
            return get ? Self.stylesheet() : nil
        case BackOfficeURL.customers:
            return get ? try customerList(request.query, context: context) : nil
        case BackOfficeURL.customersCSV:
            return get ? try customersCSV(request.query, context: context) : nil
        case BackOfficeURL.newCustomer:
            if get { return try newCustomerForm(context: context) }
            if post { return try posted(request, context, need: \.mayActOnCustomers) { try createCustomer($0, context: context) } }
            return nil
        case "/backoffice/audit":
            return get ? try audit(request.query, context: context) : nil
        case "/backoffice/outbox":
            return get ? try outbox(request.query, context: context) : nil
        case "/backoffice/outbox/retry":
            return post ? try posted(request, context, need: \.mayActOnCustomers) { try retry($0, context: context) } : nil
        case "/backoffice/settings":
            guard context.principal.role.mayAdminister else { return get || post ? BackOfficeLayout.forbidden(context) : nil }
            if get { return try settingsPage(context: context) }
            if post { return try posted(request, context, need: \.mayAdminister) { try changeSetting($0, context: context) } }
            return nil
        case "/backoffice/operators", "/backoffice/operators/disable":
            guard context.principal.role.mayAdminister else { return get || post ? BackOfficeLayout.forbidden(context) : nil }
            if get, request.path == "/backoffice/operators" { return try operatorsPage(request.query, context: context) }
            if post, request.path == "/backoffice/operators" { return try posted(request, context, need: \.mayAdminister) { try addOperator($0, context: context) } }
            if post { return try posted(request, context, need: \.mayAdminister) { try disableOperator($0, context: context) } }
            return nil
        default:
            return try customerSubpage(request, context: context, get: get, post: post)
        }
    }

    /// `/backoffice/customers/{reference}[/{action}]`.
    private func customerSubpage(_ request: HTTPRequest, context: PageContext, get: Bool, post: Bool) throws -> HTTPResponse? {
        let prefix = BackOfficeURL.customers + "/"
        guard request.path.hasPrefix(prefix) else { return nil }
        let parts = request.path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let reference = parts.first, !reference.isEmpty, parts.count <= 2 else { return nil }
        let action = parts.count == 2 ? parts[1] : nil
        switch (action, get, post) {
        case (nil, true, _):
            return try customerView(reference, query: request.query, context: context)
        case ("edit", true, _):
            guard context.principal.role.mayActOnCustomers else { return BackOfficeLayout.forbidden(context) }
            return try editForm(reference, context: context)
        case ("edit", _, true):
            return try posted(request, context, need: \.mayActOnCustomers) { try editCustomer(reference, $0, context: context) }
        case ("address", true, _):
            guard context.principal.role.mayActOnCustomers else { return BackOfficeLayout.forbidden(context) }
            return try addressForm(reference, context: context)
        case ("address", _, true):
            return try posted(request, context, need: \.mayActOnCustomers) { try addAddress(reference, $0, context: context) }
        case ("forget", true, _):
            guard context.principal.role.mayActOnCustomers else { return BackOfficeLayout.forbidden(context) }
            return try forgetConfirmation(reference, context: context)
        case ("forget", _, true):
            return try posted(request, context, need: \.mayActOnCustomers) { try forget(reference, $0, context: context) }
        case ("email", _, true):
            return try posted(request, context, need: \.mayActOnCustomers) { try changeEmail(reference, $0, context: context) }
        case ("note", _, true):
            return try posted(request, context, need: \.mayActOnCustomers) { try addNote(reference, $0, context: context) }
        case ("resend-verification", _, true):
            return try posted(request, context, need: \.mayActOnCustomers) { try resendVerification(reference, $0, context: context) }
        case ("password-token", _, true):
            return try posted(request, context, need: \.mayActOnCustomers) { try sendPasswordToken(reference, $0, context: context) }
        default:
            return nil
        }
    }

    /// A form post: 403 unless the role allows it and the form carries the session's CSRF token; then `body`.
    private func posted(
        _ request: HTTPRequest, _ context: PageContext, need permission: KeyPath<AccessRole, Bool>,
        _ body: (URLEncodedForm) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        guard context.principal.role[keyPath: permission] else { return BackOfficeLayout.forbidden(context) }
        let form = try request.form()
        guard let sent = form[PageContext.csrfField], ConstantTime.equals(Array(sent.utf8), Array(context.csrfToken.utf8)) else {
            return BackOfficeLayout.csrfRefused(context)
        }
        return try body(form)
    }

    /// Who the events of a post record: the signed-in operator, never a name from the form.
    func metadata(_ context: PageContext, requestId: String? = nil) -> CommandMetadata {
        CommandMetadata(actor: context.principal.actorName, requestID: requestId.flatMap { $0.isEmpty ? nil : $0 })
    }
}
