import CustomerAggregate
import CustomerService

/// The domain's refusals in the page's language. The API does not use these: it answers with the CLI's English
/// messages and codes.
extension BackOfficeTexts {
    /// What a page says for one broken rule.
    func say(_ problem: Problem) -> String {
        refusals.sentence(for: problem) ?? problem.message
    }

    /// What a page says for a refusal: a sentence per problem, or the code's sentence when there is none.
    func say(_ refusal: DomainError) -> [String] {
        refusal.problems.isEmpty ? [refusals.codes[refusal.code] ?? refusal.message] : refusal.problems.map(say)
    }

    /// The label of a problem's field in this language (the address form's labels come from here too).
    func label(ofField name: String) -> String {
        refusals.fieldLabels[name] ?? name
    }

    func say(_ refusedCursor: CustomerListError) -> String {
        refusals.listCursor[refusedCursor.code] ?? refusedCursor.message
    }

    func say(_ refusedCursor: LogCursorError) -> String {
        refusals.logCursor[refusedCursor.reason] ?? refusedCursor.message
    }
}
