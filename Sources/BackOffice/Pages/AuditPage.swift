import CustomerAggregate
import CustomerService
import Foundation
import HTMLBuilder
import HTTPServer

/// Audit: the status changes over time with their causes and actors, newest first, filtered like `audit` (the
/// same application query family), a page at a time: "Older" goes on below the page's last change by a cursor
/// kept in the URL with the filter, "Newest" goes back to the start. Each page reads only the part of the log it
/// shows. A stale or altered cursor shows the newest page with why (400), as the Customers page does.
extension OperatorPages {
    /// Changes a page shows.
    static let auditPageSize = StatusChangeQuery.defaultLimit

    func audit(_ query: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let texts = context.texts
        let sinceText = query["since"] ?? "", untilText = query["until"] ?? "", customerText = query["customer"] ?? ""
        var problems: [String: [String]] = [:]
        let since = sinceText.isEmpty ? nil : ISO8601Time.parse(sinceText)
        if !sinceText.isEmpty, since == nil { problems["audit-since", default: []].append(texts.auditSinceInvalid) }
        // "Until" a day means to its end.
        let until = untilText.isEmpty ? nil : ISO8601Time.parse(untilText).map { untilText.count == 10 ? $0.addingTimeInterval(86_399.999_999) : $0 }
        if !untilText.isEmpty, until == nil { problems["audit-until", default: []].append(texts.auditUntilInvalid) }
        func load(_ cursor: String?) throws -> StatusChangePage {
            try service.statusChangePage(StatusChangeQuery(
                since: since, until: until, customer: customerText.isEmpty ? nil : customerText, limit: Self.auditPageSize, cursor: cursor))
        }
        var page = StatusChangePage(items: [], nextCursor: nil)
        var cursor = query["cursor"].flatMap { $0.isEmpty ? nil : $0 }
        var cursorProblem: String?
        if problems.isEmpty {
            do {
                do {
                    page = try load(cursor)
                } catch let refused as LogCursorError {
                    cursorProblem = texts.say(refused)
                    cursor = nil
                    page = try load(nil)
                }
            } catch let refused as DomainError {
                problems["audit-customer", default: []] += texts.say(refused)
            }
        }
        func link(_ cursor: String?) -> String {
            BackOfficeURL.with("/backoffice/audit", [("since", sinceText), ("until", untilText), ("customer", customerText), ("cursor", cursor)])
        }
        let refused = !problems.isEmpty || cursorProblem != nil
        return BackOfficeLayout.page(context, title: texts.auditTitle, section: .audit, status: refused ? .badRequest : .ok) {
            HTMLNode.element(.form, [.method(.get), .action("/backoffice/audit"), .class("toolbar"), .novalidate]) {
                FormControls.input(id: "audit-since", name: "since", label: texts.auditSince, value: sinceText, type: "date", problems: problems["audit-since"] ?? [])
                FormControls.input(id: "audit-until", name: "until", label: texts.auditUntil, value: untilText, type: "date", problems: problems["audit-until"] ?? [])
                FormControls.input(id: "audit-customer", name: "customer", label: texts.auditCustomer, value: customerText, problems: problems["audit-customer"] ?? [])
                HTMLNode.element(.button, [.type("submit")]) { texts.filterButton }
            }
            if let cursorProblem { HTMLNode.element(.p, [.class("problem"), .role("alert")]) { cursorProblem } }
            if page.items.isEmpty {
                HTMLNode.element(.p, [.id("audit")]) { texts.auditNothing }
            } else {
                AuditHTML.table(page.items, texts: texts)
            }
            LogPagingHTML.links(
                newest: cursor == nil ? nil : link(nil), older: page.nextCursor.map(link), label: texts.auditTitle, texts: texts)
        }
    }
}

enum AuditHTML {
    static func table(_ changes: [StatusChange], texts: BackOfficeTexts) -> HTMLNode {
        .element(.table, [.id("audit")]) {
            TableHTML.head([texts.historyWhen, texts.columnReference, texts.auditFrom, texts.auditTo, texts.auditCause, texts.auditActor])
            HTMLNode.element(.tbody) {
                for change in changes {
                    HTMLNode.element(.tr) {
                        HTMLNode.element(.td) { UTCTime.iso8601(change.recordedAt) }
                        HTMLNode.element(.td) {
                            if let reference = change.reference?.description {
                                HTMLNode.element(.a, [.href(BackOfficeURL.customer(reference))]) { reference }
                            }
                        }
                        HTMLNode.element(.td) { change.from?.rawValue ?? "—" }
                        HTMLNode.element(.td) { change.to.rawValue }
                        HTMLNode.element(.td) { "\(change.causeType) #\(change.causePosition)" }
                        HTMLNode.element(.td) { change.actor }
                    }
                }
            }
        }
    }
}

/// "Newest" and "Older" under a page that walks the log newest first (Audit, Outbox).
enum LogPagingHTML {
    static func links(newest: String?, older: String?, label: String, texts: BackOfficeTexts) -> HTMLNode {
        .element(.nav, [.ariaLabel(label), .class("toolbar")]) {
            if let newest { HTMLNode.element(.a, [.href(newest), .id("newest-page")]) { texts.newestPage } }
            if let older { HTMLNode.element(.a, [.href(older), .id("older-page"), .rel("next")]) { texts.olderPage } }
        }
    }
}
