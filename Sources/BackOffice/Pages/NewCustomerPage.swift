import CustomerAggregate
import CustomerService
import Foundation
import HTMLBuilder
import HTTPServer

/// Add Customer: the form of the platform (email, salutation, names, gender, date of birth, phone, company,
/// locale, "send password token through email"), checked by the domain's rules on Save. A refused post shows
/// every broken rule beside its field and keeps what was typed; a created customer sends the browser to the
/// list with the flash (303, so a reload does not post again). The form carries a request id, so that a second
/// post of the same form (double click, back button) returns the first outcome and creates no second customer.
extension OperatorPages {
    static let sendPasswordTokenField = "send-password-token"

    func newCustomerForm(context: PageContext) throws -> HTTPResponse {
        guard context.principal.role.mayActOnCustomers else { return BackOfficeLayout.forbidden(context) }
        return try newCustomerPage(CustomerFormHTML.State(), requestId: UUIDText.random(), context: context)
    }

    func createCustomer(_ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        var posted: [String: String] = [:]
        for pair in form.pairs where posted[pair.name] == nil { posted[pair.name] = pair.value }
        var state = CustomerFormHTML.State()
        state.values = CustomerFormHTML.values(of: posted, fields: CustomerField.profileFields)
        state.sendPasswordToken = posted[Self.sendPasswordTokenField] != nil
        let requestId = posted[PageContext.requestIdField].flatMap { $0.isEmpty ? nil : $0 } ?? UUIDText.random()
        let optional = { (field: CustomerField) -> String? in
            let value = state.values[field] ?? ""
            return value.trimmingWhitespace().isEmpty ? nil : value
        }
        let customer = CustomerForm(
            email: state.values[.email] ?? "", salutation: state.values[.salutation] ?? "",
            firstName: state.values[.firstName] ?? "", lastName: state.values[.lastName] ?? "",
            gender: optional(.gender), dateOfBirth: optional(.dateOfBirth), phone: optional(.phone),
            company: optional(.company), locale: optional(.locale))
        do {
            // Request ids are per operator, so that one operator's form id never answers another's post.
            _ = try service.create(
                customer, sendPasswordToken: state.sendPasswordToken,
                metadata: metadata(context, requestId: "\(context.principal.actorName)/\(requestId)"))
            return .seeOther(BackOfficeURL.with(BackOfficeURL.customers, [("sort", "created"), ("dir", "desc"), ("done", Flash.created.rawValue)]))
        } catch let refused as DomainError {
            CustomerFormHTML.sorting(refused, into: &state, texts: context.texts)
            return try newCustomerPage(state, requestId: requestId, context: context, status: .unprocessableContent)
        }
    }

    private func newCustomerPage(
        _ state: CustomerFormHTML.State, requestId: String, context: PageContext, status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        let texts = context.texts
        let locales = try service.settings().locales
        return BackOfficeLayout.page(context, title: texts.newCustomerTitle, section: .customers, status: status) {
            CustomerFormHTML.summary(state, texts: texts)
            HTMLNode.element(.form, [.method(.post), .action(BackOfficeURL.newCustomer), .class("stacked"), .novalidate, .id("new-customer")]) {
                FormControls.csrf(context)
                FormControls.hidden(PageContext.requestIdField, requestId)
                for field in CustomerField.profileFields {
                    CustomerFormHTML.controls(field, state: state, texts: texts, locales: locales)
                }
                FormControls.checkbox(
                    id: "customer-send-password-token", name: Self.sendPasswordTokenField, label: texts.sendPasswordTokenLabel,
                    checked: state.sendPasswordToken)
                HTMLNode.element(.button, [.type("submit"), .id("save")]) { texts.save }
                " "
                HTMLNode.element(.a, [.href(BackOfficeURL.customers)]) { texts.cancel }
            }
        }
    }
}
