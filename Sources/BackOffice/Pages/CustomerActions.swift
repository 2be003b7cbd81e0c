import CustomerAggregate
import CustomerService
import Foundation
import HTMLBuilder
import HTTPServer

/// The actions of the customer page, each one form posting to one application command with the signed-in
/// operator as the actor. Success goes back to the customer with a flash (303); a refusal shows the page again
/// with the broken rules beside the field.
extension OperatorPages {
    /// The request id a form carried, made per operator (nil when the form had none).
    func requestId(_ form: URLEncodedForm, _ context: PageContext) -> String? {
        guard let id = form[PageContext.requestIdField], !id.isEmpty else { return nil }
        return "\(context.principal.actorName)/\(id)"
    }

    func backToCustomer(_ reference: String, _ flash: Flash) -> HTTPResponse {
        .seeOther(BackOfficeURL.with(BackOfficeURL.customer(reference), [("done", flash.rawValue)]))
    }

    /// Runs `command`; an unknown customer is 404, a refusal re-renders the customer with it beside `controlId`.
    private func act(
        _ reference: String, context: PageContext, controlId: String, value: String, flash: Flash,
        _ command: (CommandMetadata) throws -> CommandOutcome, metadata: CommandMetadata
    ) throws -> HTTPResponse {
        do {
            let outcome = try command(metadata)
            return backToCustomer(outcome.reference ?? reference, outcome.lastPosition == 0 && flash != .retried ? .nothingChanged : flash)
        } catch let refused as DomainError where refused.code == .customerNotFound {
            return BackOfficeLayout.notFound(context)
        } catch let refused as DomainError {
            return try customerView(
                reference, query: URLEncodedForm(), context: context,
                failure: ActionFailure(controlId: controlId, problems: context.texts.say(refused), value: value))
        }
    }

    func changeEmail(_ reference: String, _ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let email = form["email"] ?? ""
        return try act(reference, context: context, controlId: "new-email", value: email, flash: .emailChange, {
            try service.changeEmail(reference, to: email, withoutVerification: false, reason: nil, metadata: $0)
        }, metadata: metadata(context, requestId: requestId(form, context)))
    }

    func addNote(_ reference: String, _ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let message = form["message"] ?? ""
        return try act(reference, context: context, controlId: "note-message", value: message, flash: .noteAdded, {
            try service.addNote(reference, message: message, metadata: $0)
        }, metadata: metadata(context, requestId: requestId(form, context)))
    }

    func resendVerification(_ reference: String, _ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        try act(reference, context: context, controlId: "resend-verification", value: "", flash: .verificationQueued, {
            try service.resendVerification(to: reference, metadata: $0)
        }, metadata: metadata(context, requestId: requestId(form, context)))
    }

    func sendPasswordToken(_ reference: String, _ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        try act(reference, context: context, controlId: "send-password-token", value: "", flash: .passwordTokenQueued, {
            try service.sendPasswordToken(to: reference, metadata: $0)
        }, metadata: metadata(context, requestId: requestId(form, context)))
    }

    // MARK: Edit

    func editForm(_ reference: String, context: PageContext) throws -> HTTPResponse {
        let view: CustomerView
        do { view = try service.customerView(reference) } catch let refused as DomainError where refused.code == .customerNotFound {
            return BackOfficeLayout.notFound(context)
        }
        guard let profile = view.state?.profile else { return BackOfficeLayout.notFound(context) }
        var state = CustomerFormHTML.State()
        for field in Self.editedFields { state.values[field] = field.value(in: profile).plainTextOrEmpty }
        return try editPage(reference, state: state, context: context)
    }

    /// Every profile field but the email (changing it needs its own confirmation: "Change email").
    static let editedFields = CustomerField.profileFields.filter { $0 != .email }

    func editCustomer(_ reference: String, _ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        var posted: [String: String] = [:]
        for pair in form.pairs where posted[pair.name] == nil { posted[pair.name] = pair.value }
        var state = CustomerFormHTML.State()
        state.values = CustomerFormHTML.values(of: posted, fields: Self.editedFields)
        let edit = EditCustomer(
            salutation: state.values[.salutation], firstName: state.values[.firstName], lastName: state.values[.lastName],
            gender: state.values[.gender], dateOfBirth: state.values[.dateOfBirth], phone: state.values[.phone],
            company: state.values[.company], locale: state.values[.locale])
        do {
            let outcome = try service.edit(reference, edit, metadata: metadata(context, requestId: requestId(form, context)))
            return backToCustomer(reference, outcome.lastPosition == 0 ? .nothingChanged : .updated)
        } catch let refused as DomainError where refused.code == .customerNotFound {
            return BackOfficeLayout.notFound(context)
        } catch let refused as DomainError {
            CustomerFormHTML.sorting(refused, into: &state, texts: context.texts)
            return try editPage(reference, state: state, context: context, status: .unprocessableContent)
        }
    }

    private func editPage(_ reference: String, state: CustomerFormHTML.State, context: PageContext, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let texts = context.texts
        let locales = try service.settings().locales
        return BackOfficeLayout.page(context, title: "\(texts.editTitle) \(reference)", section: .customers, status: status) {
            CustomerFormHTML.summary(state, texts: texts)
            HTMLNode.element(.form, [.method(.post), .action(BackOfficeURL.customer(reference, "edit")), .class("stacked"), .novalidate, .id("edit-customer-form")]) {
                FormControls.csrf(context)
                FormControls.hidden(PageContext.requestIdField, UUIDText.random())
                for field in Self.editedFields {
                    CustomerFormHTML.controls(field, state: state, texts: texts, locales: locales, offeringDefaultLocale: false)
                }
                HTMLNode.element(.button, [.type("submit"), .id("save")]) { texts.save }
                " "
                HTMLNode.element(.a, [.href(BackOfficeURL.customer(reference))]) { texts.cancel }
            }
        }
    }

    // MARK: Address

    func addressForm(_ reference: String, context: PageContext) throws -> HTTPResponse {
        guard (try? service.customer(reference)) != nil else { return BackOfficeLayout.notFound(context) }
        return addressPage(reference, values: [:], problems: [:], other: [], context: context)
    }

    func addAddress(_ reference: String, _ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        var values: [AddressField: String] = [:]
        for field in AddressField.allCases {
            if let value = form[field.rawValue], !value.trimmingWhitespace().isEmpty { values[field] = value }
        }
        let command = AddAddress(values: values, defaultBilling: form["default-billing"] != nil, defaultShipping: form["default-shipping"] != nil)
        do {
            _ = try service.addAddress(reference, command, metadata: metadata(context, requestId: requestId(form, context)))
            return backToCustomer(reference, .addressAdded)
        } catch let refused as DomainError where refused.code == .customerNotFound {
            return BackOfficeLayout.notFound(context)
        } catch let refused as DomainError {
            var problems: [AddressField: [String]] = [:]
            var other: [String] = []
            for problem in refused.problems {
                let said = context.texts.say(problem)
                if let field = AddressField(rawValue: problem.field) { problems[field, default: []].append(said) } else { other.append(said) }
            }
            if refused.problems.isEmpty { other += context.texts.say(refused) }
            return addressPage(reference, values: values, problems: problems, other: other, context: context, status: .unprocessableContent)
        }
    }

    private func addressPage(
        _ reference: String, values: [AddressField: String], problems: [AddressField: [String]], other: [String],
        context: PageContext, status: HTTPStatus = .ok
    ) -> HTTPResponse {
        let texts = context.texts
        return BackOfficeLayout.page(context, title: "\(texts.addAddressTitle) · \(reference)", section: .customers, status: status) {
            if !problems.isEmpty || !other.isEmpty {
                HTMLNode.element(.div, [.class("error-summary"), .role("alert")]) {
                    HTMLNode.element(.p) { texts.formHasProblems }
                    for message in other { HTMLNode.element(.p) { message } }
                }
            }
            HTMLNode.element(.form, [.method(.post), .action(BackOfficeURL.customer(reference, "address")), .class("stacked"), .novalidate]) {
                FormControls.csrf(context)
                FormControls.hidden(PageContext.requestIdField, UUIDText.random())
                for field in AddressField.allCases {
                    FormControls.input(
                        id: "address-\(field.rawValue)", name: field.rawValue, label: texts.label(ofField: field.rawValue), value: values[field] ?? "",
                        problems: problems[field] ?? [])
                }
                FormControls.checkbox(id: "address-default-billing", name: "default-billing", label: texts.defaultBillingLabel, checked: false)
                FormControls.checkbox(id: "address-default-shipping", name: "default-shipping", label: texts.defaultShippingLabel, checked: false)
                HTMLNode.element(.button, [.type("submit"), .id("save")]) { texts.save }
                " "
                HTMLNode.element(.a, [.href(BackOfficeURL.customer(reference))]) { texts.cancel }
            }
        }
    }
}

extension FieldValue {
    /// The value as a form field shows it: empty when absent.
    var plainTextOrEmpty: String { self == .null ? "" : plainText }
}
