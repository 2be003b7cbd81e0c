import CustomerAggregate
import CustomerService
import Foundation
import HTMLBuilder
import HTTPServer

/// Audit (the status changes over time, with their actors, filtered like `audit`) and Outbox (the emails by
/// delivery state, with "Retry" for dead ones), over the same application queries as the CLI's commands.
extension OperatorPages {
    /// The most rows the audit page shows (the newest); `audit` in the CLI lists every one.
    static let auditRows = 500

    func audit(_ query: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let texts = context.texts
        let sinceText = query["since"] ?? "", untilText = query["until"] ?? "", customerText = query["customer"] ?? ""
        var problems: [String: [String]] = [:]
        let since = sinceText.isEmpty ? nil : ISO8601Time.parse(sinceText)
        if !sinceText.isEmpty, since == nil { problems["audit-since", default: []].append(texts.auditSinceInvalid) }
        // "Until" a day means to its end.
        let until = untilText.isEmpty ? nil : ISO8601Time.parse(untilText).map { untilText.count == 10 ? $0.addingTimeInterval(86_399.999_999) : $0 }
        if !untilText.isEmpty, until == nil { problems["audit-until", default: []].append(texts.auditUntilInvalid) }
        var changes: [StatusChange] = []
        if problems.isEmpty {
            do {
                changes = try service.statusChanges(since: since, until: until, customer: customerText.isEmpty ? nil : customerText)
            } catch let refused as DomainError {
                problems["audit-customer", default: []] += texts.say(refused)
            }
        }
        let shown = Array(changes.suffix(Self.auditRows).reversed())
        return BackOfficeLayout.page(context, title: texts.auditTitle, section: .audit, status: problems.isEmpty ? .ok : .badRequest) {
            HTMLNode.element(.form, [.method(.get), .action("/backoffice/audit"), .class("toolbar"), .novalidate]) {
                FormControls.input(id: "audit-since", name: "since", label: texts.auditSince, value: sinceText, type: "date", problems: problems["audit-since"] ?? [])
                FormControls.input(id: "audit-until", name: "until", label: texts.auditUntil, value: untilText, type: "date", problems: problems["audit-until"] ?? [])
                FormControls.input(id: "audit-customer", name: "customer", label: texts.auditCustomer, value: customerText, problems: problems["audit-customer"] ?? [])
                HTMLNode.element(.button, [.type("submit")]) { texts.filterButton }
            }
            if changes.count > shown.count { HTMLNode.element(.p) { texts.showingNewest(shown.count, changes.count) } }
            if shown.isEmpty {
                HTMLNode.element(.p, [.id("audit")]) { texts.auditNothing }
            } else {
                HTMLNode.element(.table, [.id("audit")]) {
                    HTMLNode.element(.thead) {
                        HTMLNode.element(.tr) {
                            for title in [texts.historyWhen, texts.columnReference, texts.auditFrom, texts.auditTo, texts.auditCause, texts.auditActor] {
                                HTMLNode.element(.th, [.scope("col")]) { title }
                            }
                        }
                    }
                    HTMLNode.element(.tbody) {
                        for change in shown {
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
    }

    static let outboxStates = ["pending", "sent", "failed", "dead"]
    /// The most emails the outbox page shows (the newest); `outbox list` prints every one.
    static let outboxRows = 500

    func outbox(_ query: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let texts = context.texts
        let state = query["state"].flatMap { Self.outboxStates.contains($0) ? $0 : nil }
        let all = try service.outboxEntries(state: state)
        let entries = Array(all.sorted { $0.queuedPosition > $1.queuedPosition }.prefix(Self.outboxRows))
        let flash = query["done"].flatMap(Flash.init(rawValue:)).flatMap { texts.flashes[$0] }
        let acting = context.principal.role.mayActOnCustomers
        return BackOfficeLayout.page(context, title: texts.outboxTitle, section: .outbox, flash: flash) {
            HTMLNode.element(.form, [.method(.get), .action("/backoffice/outbox"), .class("toolbar")]) {
                FormControls.select(
                    id: "outbox-state", name: "state", label: texts.outboxState,
                    choices: [.init(value: "", text: texts.statusAny)] + Self.outboxStates.map { .init(value: $0, text: $0) },
                    selected: state ?? "")
                HTMLNode.element(.button, [.type("submit")]) { texts.filterButton }
            }
            if all.count > entries.count { HTMLNode.element(.p) { texts.showingNewest(entries.count, all.count) } }
            if acting, all.contains(where: { $0.state == .dead }) {
                FormControls.button(texts.retryAllDead, action: "/backoffice/outbox/retry", context: context, id: "retry-all", hidden: [("all", "dead")])
            }
            if entries.isEmpty {
                HTMLNode.element(.p, [.id("outbox")]) { texts.outboxNothing }
            } else {
                HTMLNode.element(.table, [.id("outbox")]) {
                    HTMLNode.element(.thead) {
                        HTMLNode.element(.tr) {
                            for title in [texts.outboxQueued, texts.columnReference, texts.outboxKind, texts.outboxRecipient, texts.outboxState,
                                          texts.outboxAttempts, texts.outboxLastError, texts.columnActions] {
                                HTMLNode.element(.th, [.scope("col")]) { title }
                            }
                        }
                    }
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
