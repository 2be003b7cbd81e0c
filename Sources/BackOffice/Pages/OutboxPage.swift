import CustomerAggregate
import CustomerService
import Foundation
import HTMLBuilder
import HTTPServer

/// Outbox: the emails newest first by delivery state, a page at a time ("Older" by a cursor kept in the URL with
/// the state, "Newest"), with "Retry" for dead ones, over the application's outbox queries. A page reads its own
/// emails and the log between them; with a state few emails are in, it stops after its share of the log and says
/// how far back it searched (`OutboxPage.searchedBackTo`), and "Older" searches on.
extension OperatorPages {
    static let outboxStates = ["pending", "sent", "failed", "dead"]
    /// Emails a page shows.
    static let outboxPageSize = OutboxPageQuery.defaultLimit

    func outbox(_ query: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let texts = context.texts
        let state = query["state"].flatMap { Self.outboxStates.contains($0) ? $0 : nil }
        var cursor = query["cursor"].flatMap { $0.isEmpty ? nil : $0 }
        var cursorProblem: String?
        let page: OutboxPage
        do {
            page = try service.outboxPage(OutboxPageQuery(state: state, limit: Self.outboxPageSize, cursor: cursor))
        } catch let refused as LogCursorError {
            cursorProblem = texts.say(refused)
            cursor = nil
            page = try service.outboxPage(OutboxPageQuery(state: state, limit: Self.outboxPageSize))
        }
        func link(_ cursor: String?) -> String { BackOfficeURL.with("/backoffice/outbox", [("state", state), ("cursor", cursor)]) }
        let flash = query["done"].flatMap(Flash.init(rawValue:)).flatMap { texts.flashes[$0] }
        let acting = context.principal.role.mayActOnCustomers
        return BackOfficeLayout.page(
            context, title: texts.outboxTitle, section: .outbox, status: cursorProblem == nil ? .ok : .badRequest, flash: flash
        ) {
            HTMLNode.element(.form, [.method(.get), .action("/backoffice/outbox"), .class("toolbar")]) {
                FormControls.select(
                    id: "outbox-state", name: "state", label: texts.outboxState,
                    choices: [.init(value: "", text: texts.statusAny)] + Self.outboxStates.map { .init(value: $0, text: $0) },
                    selected: state ?? "")
                HTMLNode.element(.button, [.type("submit")]) { texts.filterButton }
            }
            if let cursorProblem { HTMLNode.element(.p, [.class("problem"), .role("alert")]) { cursorProblem } }
            // Every dead email, not only this page's: offered where dead emails are in view.
            if acting, state == "dead" || page.items.contains(where: { $0.state == .dead }) {
                FormControls.button(texts.retryAllDead, action: "/backoffice/outbox/retry", context: context, id: "retry-all", hidden: [("all", "dead")])
            }
            if page.items.isEmpty {
                HTMLNode.element(.p, [.id("outbox")]) { texts.outboxNothing }
            } else {
                OutboxHTML.table(page.items, acting: acting, context: context)
            }
            if let searched = page.searchedBackTo {
                HTMLNode.element(.p, [.id("outbox-searched")]) { texts.searchedBackTo(UTCTime.iso8601(searched)) }
            }
            LogPagingHTML.links(
                newest: cursor == nil ? nil : link(nil), older: page.nextCursor.map(link), label: texts.outboxTitle, texts: texts)
        }
    }

    func retry(_ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let selection: OutboxRetrySelection
        if form["all"] == "dead" {
            selection = .allGivenUp
        } else {
            guard let id = form["id"].flatMap(UUID.init(uuidString:)) else {
                return BackOfficeLayout.message(context, title: context.texts.badRequestTitle, lead: context.texts.retryNoneNamed, status: .badRequest)
            }
            selection = .entries([id])
        }
        do {
            _ = try service.retryDeadEmails(selection, metadata: metadata(context))
            return .seeOther(BackOfficeURL.with("/backoffice/outbox", [("done", Flash.retried.rawValue)]))
        } catch let refused as DomainError {
            return BackOfficeLayout.message(context, title: context.texts.badRequestTitle, lead: context.texts.say(refused).joined(separator: " "), status: .unprocessableContent)
        }
    }
}

enum OutboxHTML {
    static func table(_ entries: [OutboxEntry], acting: Bool, context: PageContext) -> HTMLNode {
        let texts = context.texts
        return .element(.table, [.id("outbox")]) {
            TableHTML.head([texts.outboxQueued, texts.columnReference, texts.outboxKind, texts.outboxRecipient, texts.outboxState,
                            texts.outboxAttempts, texts.outboxLastError, texts.columnActions])
            HTMLNode.element(.tbody) {
                for entry in entries {
                    HTMLNode.element(.tr) {
                        HTMLNode.element(.td) { UTCTime.iso8601(entry.queuedAt) }
                        HTMLNode.element(.td) { HTMLNode.element(.a, [.href(BackOfficeURL.customer(entry.reference))]) { entry.reference } }
                        HTMLNode.element(.td) { entry.kind.rawValue }
                        HTMLNode.element(.td) { entry.recipient }
                        HTMLNode.element(.td) { entry.state.name }
                        HTMLNode.element(.td) { String(entry.attempts) }
                        HTMLNode.element(.td) { entry.lastError ?? "" }
                        HTMLNode.element(.td) {
                            if acting, entry.state == .dead {
                                FormControls.button(texts.retry, action: "/backoffice/outbox/retry", context: context,
                                                    hidden: [("id", entry.id.uuidString.lowercased())])
                            }
                        }
                    }
                }
            }
        }
    }
}
