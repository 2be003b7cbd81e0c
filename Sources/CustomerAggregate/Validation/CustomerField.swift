/// The fields of the customer form, named as CLI options (without `--`) so that a problem points at the option
/// to fix, and labelled as the back office labels them.
public enum CustomerField: String, CaseIterable, Sendable {
    case email
    case salutation
    case firstName = "first-name"
    case lastName = "last-name"
    case gender
    case dateOfBirth = "date-of-birth"
    case phone
    case company
    case locale
    /// Only on import: the `registered` column.
    case registered

    /// The label that starts every message about the field ("First name must …").
    public var label: String {
        switch self {
        case .email: return "Email"
        case .salutation: return "Salutation"
        case .firstName: return "First name"
        case .lastName: return "Last name"
        case .gender: return "Gender"
        case .dateOfBirth: return "Date of birth"
        case .phone: return "Phone"
        case .company: return "Company"
        case .locale: return "Locale"
        case .registered: return "Registered date"
        }
    }

    func problem(_ predicate: String, _ rule: Problem.Rule, _ arguments: [String: String] = [:]) -> Problem {
        Problem(field: rawValue, message: "\(label) \(predicate)", rule: rule, arguments: arguments)
    }
}
