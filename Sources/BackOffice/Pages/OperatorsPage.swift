import CustomerAggregate
import CustomerService
import Foundation
import HTMLBuilder
import HTTPServer

/// Operators (admins only): who may sign in, with their role and last sign-in; "Disable" ends an operator's
/// sessions; a form adds one. The same application functions as `operator list|add|disable`, their rules (the
/// password policy, names never reused) and messages included.
extension OperatorPages {
    func operatorsPage(
        _ query: URLEncodedForm, context: PageContext, problems: [String: [String]] = [:], typed: (name: String, role: String)? = nil
    ) throws -> HTTPResponse {
        let texts = context.texts
        let operators = try service.operators()
        let flash = query["done"].flatMap(Flash.init(rawValue:)).flatMap { texts.flashes[$0] }
        return BackOfficeLayout.page(
            context, title: texts.operatorsTitle, section: .operators, status: problems.isEmpty ? .ok : .unprocessableContent, flash: flash
        ) {
            HTMLNode.element(.table, [.id("operators")]) {
                TableHTML.head([texts.operatorName, texts.operatorRole, texts.operatorAdded, texts.operatorLastSignIn, texts.operatorState, texts.columnActions])
                HTMLNode.element(.tbody) {
                    for account in operators {
                        HTMLNode.element(.tr) {
                            HTMLNode.element(.td) { account.name }
                            HTMLNode.element(.td) { account.role.rawValue }
                            HTMLNode.element(.td) { "\(UTCTime.iso8601(account.addedAt)) (\(account.addedBy))" }
                            HTMLNode.element(.td) { account.lastSignedInAt.map(UTCTime.iso8601) ?? "—" }
                            HTMLNode.element(.td) { account.disabledAt == nil ? texts.operatorActive : texts.operatorDisabled }
                            HTMLNode.element(.td) {
                                // Not oneself: an admin who disables their own account locks themselves out mid-task.
                                if account.disabledAt == nil, account.name != context.principal.name {
                                    FormControls.button(texts.disableOperator, action: "/backoffice/operators/disable", context: context,
                                                        hidden: [("name", account.name)])
                                }
                            }
                        }
                    }
                }
            }
            HTMLNode.element(.h2) { texts.addOperatorHeading }
            HTMLNode.element(.form, [.method(.post), .action("/backoffice/operators"), .class("stacked"), .novalidate]) {
                FormControls.csrf(context)
                FormControls.input(id: "operator-name", name: "name", label: texts.operatorName, value: typed?.name ?? "",
                                   problems: problems["operator-name"] ?? [], extra: [.autocomplete("off")])
                FormControls.select(id: "operator-role", name: "role", label: texts.operatorRole,
                                    choices: AccessRole.allCases.map { .init(value: $0.rawValue, text: $0.rawValue) },
                                    selected: typed?.role ?? AccessRole.agent.rawValue, problems: problems["operator-role"] ?? [])
                // Never sent back: the field is empty on every rendering.
                FormControls.input(id: "operator-password", name: "password", label: texts.operatorPassword, value: "", type: "password",
                                   problems: problems["operator-password"] ?? [], extra: [.autocomplete("new-password")])
                HTMLNode.element(.button, [.type("submit"), .id("add-operator")]) { texts.addOperatorButton }
            }
        }
    }

    func addOperator(_ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        let name = form["name"] ?? "", roleText = form["role"] ?? ""
        guard let role = AccessRole(rawValue: roleText) else {
            return try operatorsPage(URLEncodedForm(), context: context, problems: ["operator-role": [context.texts.operatorRoleInvalid]], typed: (name, roleText))
        }
        do {
            _ = try service.addOperator(name: name, role: role, password: form["password"] ?? "", metadata: metadata(context))
            return .seeOther(BackOfficeURL.with("/backoffice/operators", [("done", Flash.operatorAdded.rawValue)]))
        } catch let refused as DomainError {
            var problems: [String: [String]] = [:]
            for problem in refused.problems {
                let id = problem.field == "password" ? "operator-password" : problem.field == "role" ? "operator-role" : "operator-name"
                problems[id, default: []].append(context.texts.say(problem))
            }
            if refused.problems.isEmpty { problems["operator-name", default: []] += context.texts.say(refused) }
            return try operatorsPage(URLEncodedForm(), context: context, problems: problems, typed: (name, roleText))
        }
    }

    func disableOperator(_ form: URLEncodedForm, context: PageContext) throws -> HTTPResponse {
        do {
            _ = try service.disableOperator(name: form["name"] ?? "", metadata: metadata(context))
            return .seeOther(BackOfficeURL.with("/backoffice/operators", [("done", Flash.operatorDisabled.rawValue)]))
        } catch let refused as DomainError {
            return BackOfficeLayout.message(context, title: context.texts.badRequestTitle, lead: context.texts.say(refused).joined(separator: " "), status: .unprocessableContent)
        }
    }
}
