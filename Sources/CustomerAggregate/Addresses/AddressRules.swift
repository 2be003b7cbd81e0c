/// The address form's rules, derived from `AddressField.rule`: the customer's own rules for salutation, names,
/// company and phone, and line limits for the rest.
enum AddressRules {
    /// The stored value of `field` for the raw input (`nil`: absent), appending every broken rule to `problems`.
    /// An empty or blank value is absent; for a required field that is a problem.
    static func value(of field: AddressField, _ raw: String?, problems: inout [Problem]) -> String? {
        guard let text = raw?.trimmedNonEmpty() else {
            if field.isRequired { problems.append(field.problem("is required", .required)) }
            return nil
        }
        switch field.rule {
        case .salutation:
            return FieldRules.salutation(text, problems: &problems)?.rawValue
        case .name(let customerField):
            return FieldRules.name(text, field: customerField, problems: &problems)
        case .company:
            return FieldRules.company(text, problems: &problems)
        case .phone:
            return FieldRules.phone(text, problems: &problems)
        case .line(let maximum):
            if text.count > maximum {
                problems.append(field.problem("must be at most \(maximum) characters", .tooLong, ["maximum": "\(maximum)"]))
            }
            if text.containsControlCharacters {
                problems.append(field.problem("must not contain control characters (such as line breaks or tabs)", .controlCharacters))
            }
            return text
        case .country:
            let code = text.uppercased()
            guard CountryCodes.all.contains(code) else {
                problems.append(field.problem(
                    "must be an ISO 3166-1 alpha-2 code such as DE, AT or US (\(text.escapingControlCharacters) is none)",
                    .invalidCountry, ["value": text.escapingControlCharacters]))
                return nil
            }
            return code
        }
    }
}
