import CustomerAggregate
import CustomerService
import Foundation
import HTMLBuilder
import HTTPServer

/// The customer: every field, status and times, every email the outbox holds for it (its delivery state and
/// whether its link still works), the addresses, the notes, the history (who did what, when, what changed), an
/// "as of" input that replays the customer as the store knew it then, and the actions as forms (not for viewers,
/// not in the past). Every form that posts carries a fresh request id, so that a second post of one rendering
/// (double click, back button) returns the first outcome instead of queuing a second email or change.
extension OperatorPages {
    /// A refused action, shown beside the field of its form on the re-rendered page.
    struct ActionFailure: Sendable {
        /// The id of the control the problems belong to.
        var controlId: String
        var problems: [String]
        var value: String
    }

    func customerView(
        _ reference: String, query: URLEncodedForm, context: PageContext, failure: ActionFailure? = nil
    ) throws -> HTTPResponse {
        let texts = context.texts
        let asOfText = query["asOf"]?.trimmingWhitespace() ?? ""
        var asOfProblems: [String] = []
        var asOf: Date?
        if !asOfText.isEmpty {
            asOf = Self.instant(fromDateTimeInput: asOfText)
            if asOf == nil { asOfProblems.append(context.texts.asOfInvalid) }
        }
        let view: CustomerView
        do {
            view = try service.customerView(reference, asOf: asOf)
        } catch let refused as DomainError where refused.code == .customerNotFound {
            return BackOfficeLayout.notFound(context)
        } catch let refused as DomainError where refused.code == .customerNotYetCreated {
            asOfProblems += context.texts.say(refused)
            asOf = nil
            view = try service.customerView(reference)
        }
        guard let state = view.state else { return BackOfficeLayout.notFound(context) }
        let shownReference = state.reference?.description ?? reference
        var history = try service.history(of: shownReference)
        if let asOf { history = history.filter { $0.recordedAt <= asOf } }
        let flash = query["done"].flatMap(Flash.init(rawValue:)).flatMap { texts.flashes[$0] }
        // A forgotten customer keeps its reference and history; there is nothing left to act on.
        let acting = context.principal.role.mayActOnCustomers && asOf == nil && state.erasedAt == nil
        let status: HTTPStatus = failure != nil ? .unprocessableContent : (asOfProblems.isEmpty ? .ok : .badRequest)
        return BackOfficeLayout.page(context, title: texts.customerTitle(shownReference), section: .customers, status: status, flash: flash) {
            CustomerViewHTML.asOfForm(shownReference, text: asOfText, asOf: asOf, problems: asOfProblems, texts: texts)
            HTMLNode.element(.h2) { texts.detailsHeading }
            CustomerViewHTML.details(state.shownValues, texts: texts)
            if acting {
                CustomerViewHTML.actions(shownReference, state: state, context: context, failure: failure)
            }
            if asOf == nil {
                HTMLNode.element(.h2) { texts.emailsHeading }
                CustomerViewHTML.emails(view.emails, texts: texts)
            }
            HTMLNode.element(.h2) { texts.addressesHeading }
            CustomerViewHTML.addresses(state.addressBook.shownAddresses, texts: texts)
            HTMLNode.element(.h2) { texts.notesHeading }
            CustomerViewHTML.notes(state.liveNotes, texts: texts)
            if acting { CustomerViewHTML.noteForm(shownReference, context: context, failure: failure) }
            HTMLNode.element(.h2) { texts.historyHeading }
            CustomerViewHTML.history(history, texts: texts)
        }
    }

    /// A `datetime-local` value (`2026-01-31T14:30`, no zone) read as UTC, or any form `ISO8601Time` accepts.
    static func instant(fromDateTimeInput text: String) -> Date? {
        if let date = ISO8601Time.parse(text) { return date }
        return ISO8601Time.parse(text + "Z")
    }
}

enum CustomerViewHTML {
    static func asOfForm(_ reference: String, text: String, asOf: Date?, problems: [String], texts: BackOfficeTexts) -> [HTMLNode] {
        var nodes: [HTMLNode] = []
        if let asOf {
            nodes.append(.element(.p, [.id("as-of-note"), .class("flash"), .role("status")]) { texts.asOfShowing(UTCTime.iso8601(asOf)) })
        }
        nodes.append(.element(.form, [.method(.get), .action(BackOfficeURL.customer(reference)), .class("toolbar")]) {
            FormControls.input(id: "as-of", name: "asOf", label: texts.asOfLabel, value: text, type: "datetime-local", problems: problems,
                               extra: [.step("1")])
            HTMLNode.element(.button, [.type("submit"), .id("as-of-show")]) { texts.asOfButton }
            if asOf != nil {
                HTMLNode.element(.a, [.href(BackOfficeURL.customer(reference))]) { texts.asOfNow }
            }
        })
        return nodes
    }

    static func details(_ values: [CustomerFieldValue], texts: BackOfficeTexts) -> HTMLNode {
        .element(.table, [.id("customer-details")]) {
            HTMLNode.element(.tbody) {
                for value in values {
                    HTMLNode.element(.tr, [.id("detail-\(value.name)")]) {
                        HTMLNode.element(.th, [.scope("row")]) { texts.label(ofShown: value) }
                        HTMLNode.element(.td) { value.text }
                    }
                }
            }
        }
    }

    /// Every email of the customer's outbox, newest first, with its delivery state and whether its link works
    /// (never the link itself: it would let whoever sees the page act for the customer).
    static func emails(_ emails: [CustomerView.Email], texts: BackOfficeTexts) -> HTMLNode {
        guard !emails.isEmpty else { return .element(.p, [.id("emails")]) { texts.noEmails } }
        return .element(.table, [.id("emails")]) {
            TableHTML.head([texts.outboxQueued, texts.outboxKind, texts.outboxRecipient, texts.outboxState, texts.outboxAttempts, texts.emailLink])
            HTMLNode.element(.tbody) {
                for email in emails {
                    HTMLNode.element(.tr, [.id("email-\(email.entry.id.uuidString.lowercased())")]) {
                        HTMLNode.element(.td) { UTCTime.iso8601(email.entry.queuedAt) }
                        HTMLNode.element(.td) { email.entry.kind.rawValue }
                        HTMLNode.element(.td) { email.entry.recipient }
                        HTMLNode.element(.td) { email.entry.state.name }
                        HTMLNode.element(.td) { String(email.entry.attempts) }
                        HTMLNode.element(.td) { linkText(email.link, texts: texts) }
                    }
                }
            }
        }
    }

    static func linkText(_ link: CustomerView.Email.Link, texts: BackOfficeTexts) -> String {
        switch link {
        case .works(let until): return texts.linkWorksUntil(UTCTime.iso8601(until))
        case .spent: return texts.linkSpent
        case .none: return texts.noLink
        }
    }

    static func addresses(_ addresses: [[CustomerFieldValue]], texts: BackOfficeTexts) -> HTMLNode {
        guard !addresses.isEmpty else { return .element(.p, [.id("addresses")]) { texts.noAddresses } }
        return .element(.ul, [.id("addresses")]) {
            for address in addresses {
                HTMLNode.element(.li) {
                    HTMLNode.element(.dl) {
                        for value in address where value.value != .null {
                            HTMLNode.element(.dt) { value.label }
                            HTMLNode.element(.dd) { value.text }
                        }
                    }
                }
            }
        }
    }

    static func notes(_ notes: [CustomerNote], texts: BackOfficeTexts) -> HTMLNode {
        guard !notes.isEmpty else { return .element(.p, [.id("notes")]) { texts.noNotes } }
        return .element(.ul, [.id("notes")]) {
            for note in notes {
                HTMLNode.element(.li) {
                    HTMLNode.element(.p) { note.message }
                    HTMLNode.element(.small) { "\(note.id) · \(UTCTime.iso8601(note.addedAt)) · \(note.author)" }
                }
            }
        }
    }

    static func noteForm(_ reference: String, context: PageContext, failure: OperatorPages.ActionFailure?) -> HTMLNode {
        let mine = failure?.controlId == "note-message" ? failure : nil
        return .element(.form, [.method(.post), .action(BackOfficeURL.customer(reference, "note")), .class("stacked"), .novalidate]) {
            FormControls.csrf(context)
            FormControls.hidden(PageContext.requestIdField, UUIDText.random())
            FormControls.textarea(id: "note-message", name: "message", label: context.texts.noteLabel, value: mine?.value ?? "", problems: mine?.problems ?? [])
            HTMLNode.element(.button, [.type("submit"), .id("add-note")]) { context.texts.addNoteButton }
        }
    }

    static func actions(_ reference: String, state: CustomerState, context: PageContext, failure: OperatorPages.ActionFailure?) -> [HTMLNode] {
        let texts = context.texts
        let emailFailure = failure?.controlId == "new-email" ? failure : nil
        return [
            .element(.h2) { texts.actionsHeading },
            .element(.div, [.class("actions"), .id("actions")]) {
                HTMLNode.element(.a, [.href(BackOfficeURL.customer(reference, "edit")), .id("edit-customer"), .class("button")]) { texts.editCustomer }
                " "
                HTMLNode.element(.a, [.href(BackOfficeURL.customer(reference, "address")), .id("add-address"), .class("button")]) { texts.addAddress }
                if state.status == .unverified {
                    FormControls.button(texts.resendVerification, action: BackOfficeURL.customer(reference, "resend-verification"), context: context,
                                        id: "resend-verification", hidden: [(PageContext.requestIdField, UUIDText.random())])
                }
                FormControls.button(texts.sendPasswordToken, action: BackOfficeURL.customer(reference, "password-token"), context: context,
                                    id: "send-password-token", hidden: [(PageContext.requestIdField, UUIDText.random())])
                HTMLNode.element(.a, [.href(BackOfficeURL.customer(reference, "forget")), .id("forget-customer"), .class("button")]) { texts.forget }
            },
            .element(.form, [.method(.post), .action(BackOfficeURL.customer(reference, "email")), .class("toolbar"), .novalidate]) {
                FormControls.csrf(context)
                FormControls.hidden(PageContext.requestIdField, UUIDText.random())
                FormControls.input(id: "new-email", name: "email", label: texts.changeEmailLabel, value: emailFailure?.value ?? "", type: "email",
                                   problems: emailFailure?.problems ?? [])
                HTMLNode.element(.button, [.type("submit"), .id("change-email")]) { texts.changeEmailButton }
            },
        ]
    }

    static func history(_ entries: [HistoryEntry], texts: BackOfficeTexts) -> HTMLNode {
        .element(.table, [.id("history")]) {
            TableHTML.head([texts.historyWhen, texts.historyWho, texts.historyWhat, texts.historyChanges])
            HTMLNode.element(.tbody) {
                for entry in entries.reversed() {
                    HTMLNode.element(.tr) {
                        HTMLNode.element(.td) { UTCTime.iso8601(entry.recordedAt) }
                        HTMLNode.element(.td) { entry.actor }
                        HTMLNode.element(.td) { entry.summary }
                        HTMLNode.element(.td) {
                            if !entry.changes.isEmpty {
                                HTMLNode.element(.ul) {
                                    for change in entry.changes {
                                        HTMLNode.element(.li) { "\(change.field): \(change.from ?? "—") → \(change.to ?? "—")" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
