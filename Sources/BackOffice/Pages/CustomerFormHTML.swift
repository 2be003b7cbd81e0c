import CustomerAggregate
import Foundation
import HTMLBuilder

/// The customer's fields as form controls, from the one description of them (`CustomerField`, `Salutation`,
/// `Gender`, the store's locales): the choices of a select are the values the rules accept, so the form offers
/// nothing the domain would refuse for its spelling. Used by "Add Customer" and "Edit customer".
enum CustomerFormHTML {
    /// What the form shows: the typed values by field (kept on a refused post) and the problems by field.
    struct State: Sendable {
        var values: [CustomerField: String] = [:]
        var problems: [CustomerField: [String]] = [:]
        /// Problems the fields do not own (shown above the form).
        var otherProblems: [String] = []
        var sendPasswordToken = false
    }

    static func controlId(_ field: CustomerField) -> String { "customer-\(field.rawValue)" }

    /// The refusal's problems by field, in the page's language; a problem naming no field of the form, or a
    /// refusal without problems, goes to `otherProblems`.
    static func sorting(_ refused: DomainError, into state: inout State, texts: BackOfficeTexts) {
        for problem in refused.problems {
            if let field = CustomerField(rawValue: problem.field) {
                state.problems[field, default: []].append(texts.say(problem))
            } else {
                state.otherProblems.append(texts.say(problem))
            }
        }
        if refused.problems.isEmpty { state.otherProblems += texts.say(refused) }
    }

    /// `offeringDefaultLocale`: the locale may be left to the store's default (on create; an existing customer
    /// always has one).
    static func controls(
        _ field: CustomerField, state: State, texts: BackOfficeTexts, locales: [String], offeringDefaultLocale: Bool = true
    ) -> [HTMLNode] {
        let id = controlId(field)
        let label = texts.fieldLabels[field] ?? field.label
        let value = state.values[field] ?? ""
        let problems = state.problems[field] ?? []
        let empty = FormControls.Choice(value: "", text: texts.chooseOption)
        switch field {
        case .salutation:
            return FormControls.select(
                id: id, name: field.rawValue, label: label,
                choices: [empty] + Salutation.allCases.map { .init(value: $0.rawValue, text: $0.rawValue) },
                selected: Salutation(matching: value)?.rawValue ?? value, problems: problems)
        case .gender:
            return FormControls.select(
                id: id, name: field.rawValue, label: label,
                choices: [empty] + Gender.allCases.map { .init(value: $0.rawValue, text: $0.rawValue) },
                selected: Gender(matching: value)?.rawValue ?? value, problems: problems)
        case .locale:
            return FormControls.select(
                id: id, name: field.rawValue, label: label,
                choices: (offeringDefaultLocale ? [.init(value: "", text: texts.storeDefaultLocale)] : [])
                    + locales.map { .init(value: $0, text: $0) },
                selected: value, problems: problems)
        case .dateOfBirth:
            return FormControls.input(id: id, name: field.rawValue, label: label, value: value, type: "date", problems: problems)
        case .email:
            return FormControls.input(
                id: id, name: field.rawValue, label: label, value: value, type: "email", problems: problems,
                extra: [.autocomplete("off")])
        case .phone:
            return FormControls.input(id: id, name: field.rawValue, label: label, value: value, type: "tel", problems: problems)
        case .firstName, .lastName, .company, .registered:
            return FormControls.input(id: id, name: field.rawValue, label: label, value: value, problems: problems)
        }
    }

    /// Above the form when a post was refused: one line, then anything no field owns.
    static func summary(_ state: State, texts: BackOfficeTexts) -> [HTMLNode] {
        guard !state.problems.isEmpty || !state.otherProblems.isEmpty else { return [] }
        return [.element(.div, [.class("error-summary"), .role("alert"), .id("form-problems")]) {
            HTMLNode.element(.p) { texts.formHasProblems }
            if !state.otherProblems.isEmpty {
                HTMLNode.element(.ul) { for problem in state.otherProblems { HTMLNode.element(.li) { problem } } }
            }
        }]
    }

    /// The values as posted, by field (only the fields given).
    static func values(of form: [String: String], fields: [CustomerField]) -> [CustomerField: String] {
        var values: [CustomerField: String] = [:]
        for field in fields { if let value = form[field.rawValue] { values[field] = value } }
        return values
    }
}
