/// The fields of the back office's address form, described once: the CLI option (the raw value, so a problem
/// points at the option to fix), the label, the JSON key, the stored code and the rule. Validation, the
/// command's options, the codec, `show`, `events` and `history` all read this list.
///
/// Salutation, names, company and phone share the customer's option names, labels and rules, so an address and
/// a customer never disagree about what a valid name is.
public enum AddressField: String, CaseIterable, Sendable {
    case salutation
    case firstName = "first-name"
    case lastName = "last-name"
    case company
    case address1
    case address2
    case address3
    case city
    case zipCode = "zip-code"
    case country
    case phone
    case comment

    /// What a value must be; each rule is one function in `AddressRules`.
    enum Rule {
        case salutation
        case name(CustomerField)
        case company
        case phone
        /// Free text on one line, at most `maximumLength` characters.
        case line(maximumLength: Int)
        case country
    }

    var rule: Rule {
        switch self {
        case .salutation: return .salutation
        case .firstName: return .name(.firstName)
        case .lastName: return .name(.lastName)
        case .company: return .company
        case .phone: return .phone
        case .address1, .address2, .address3, .comment: return .line(maximumLength: 255)
        case .city: return .line(maximumLength: 255)
        case .zipCode: return .line(maximumLength: 15)
        case .country: return .country
        }
    }

    public var isRequired: Bool {
        switch self {
        case .salutation, .firstName, .lastName, .address1, .city, .zipCode, .country: return true
        case .company, .address2, .address3, .phone, .comment: return false
        }
    }

    public var label: String {
        switch self {
        case .salutation: return "Salutation"
        case .firstName: return "First name"
        case .lastName: return "Last name"
        case .company: return "Company"
        case .address1: return "Address line 1"
        case .address2: return "Address line 2"
        case .address3: return "Address line 3"
        case .city: return "City"
        case .zipCode: return "Zip code"
        case .country: return "Country"
        case .phone: return "Phone"
        case .comment: return "Comment"
        }
    }

    /// The key in JSON, in an event's readable form and (after `addresses.A1.`) in `history`'s changes.
    public var jsonName: String {
        switch self {
        case .salutation: return "salutation"
        case .firstName: return "firstName"
        case .lastName: return "lastName"
        case .company: return "company"
        case .address1: return "address1"
        case .address2: return "address2"
        case .address3: return "address3"
        case .city: return "city"
        case .zipCode: return "zipCode"
        case .country: return "country"
        case .phone: return "phone"
        case .comment: return "comment"
        }
    }

    /// The byte a field is stored as in address events: written out, never derived from case order, never reused.
    public var wireCode: UInt8 {
        switch self {
        case .salutation: return 1
        case .firstName: return 2
        case .lastName: return 3
        case .company: return 4
        case .address1: return 5
        case .address2: return 6
        case .address3: return 7
        case .city: return 8
        case .zipCode: return 9
        case .country: return 10
        case .phone: return 11
        case .comment: return 12
        }
    }

    public init?(wireCode: UInt8) {
        guard let field = Self.allCases.first(where: { $0.wireCode == wireCode }) else { return nil }
        self = field
    }

    /// The placeholder of the CLI option's value.
    public var valueName: String {
        switch self {
        case .salutation: return "S"
        case .firstName, .lastName, .company: return "NAME"
        case .country: return "CC"
        case .phone: return "PHONE"
        case .zipCode: return "ZIP"
        case .address1, .address2, .address3, .city, .comment: return "TEXT"
        }
    }

    /// The rule in a few words, for `--help`.
    public var help: String {
        let requirement = isRequired ? "" : "; empty clears it"
        switch rule {
        case .salutation: return "one of Mr, Mrs, Ms, Dr, n/a"
        case .name: return "1–100 characters, none of : / < >"
        case .company: return "at most 100 characters" + requirement
        case .phone: return "digits, spaces and + - ( ) . /; at least 3 digits" + requirement
        case .line(let maximum): return "at most \(maximum) characters, one line" + requirement
        case .country: return "ISO 3166-1 alpha-2 code (DE, US, …)"
        }
    }

    func problem(_ predicate: String, _ rule: Problem.Rule, _ arguments: [String: String] = [:]) -> Problem {
        Problem(field: rawValue, message: "\(label) \(predicate)", rule: rule, arguments: arguments)
    }
}
