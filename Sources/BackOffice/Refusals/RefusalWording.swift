import CustomerAggregate
import CustomerService

/// How one locale words the domain's refusals: one sentence per rule a problem broke (`Problem.Rule`, made from
/// the field's label and the rule's arguments), one per refusal code for a refusal that carries no problem, and
/// the labels of the fields that problems name. Whatever a table lacks is said in the domain's English message,
/// so that a missing text shows English rather than nothing; `RefusalTranslationTests` keeps de_DE complete.
public struct RefusalWording: Sendable {
    public typealias Sentence = @Sendable (ProblemPhrase) -> String

    /// By the problem's field name (`first-name`, `address1`, `reason`); a field without a label is named as is
    /// (setting keys such as `base-url` are their own names).
    let fieldLabels: [String: String]
    let rules: [Problem.Rule: Sentence]
    let codes: [DomainError.Code: String]
    /// The sentences for a stale or altered page link of the customer list, by its code.
    let listCursor: [CustomerListError.Code: String]
    /// The sentences for a stale or altered page link of the Audit or Outbox page, by its reason.
    let logCursor: [LogCursorError.Reason: String]

    /// The sentence for `problem`, or nil when this locale has none for its rule.
    func sentence(for problem: Problem) -> String? {
        guard let sentence = rules[problem.rule] else { return nil }
        return sentence(ProblemPhrase(label: fieldLabels[problem.field] ?? problem.field, arguments: problem.arguments))
    }
}

/// What a rule's sentence is made from: the field's label and the rule's arguments by name (`phrase["maximum"]`).
public struct ProblemPhrase: Sendable {
    public let label: String
    let arguments: [String: String]

    subscript(_ name: String) -> String { arguments[name] ?? "" }
}
