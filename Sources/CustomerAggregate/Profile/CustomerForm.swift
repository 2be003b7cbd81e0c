/// What a user typed (CLI options) or a file held (an import row): untrimmed and unchecked.
///
/// The decider turns it into a `CustomerProfile` through `CustomerValidation`, so every entry point applies the
/// same rules and reports the same messages.
public struct CustomerForm: Sendable, Equatable {
    public var email: String
    public var salutation: String
    public var firstName: String
    public var lastName: String
    public var gender: String?
    public var dateOfBirth: String?
    public var phone: String?
    public var company: String?
    public var locale: String?

    public init(
        email: String,
        salutation: String,
        firstName: String,
        lastName: String,
        gender: String? = nil,
        dateOfBirth: String? = nil,
        phone: String? = nil,
        company: String? = nil,
        locale: String? = nil
    ) {
        self.email = email
        self.salutation = salutation
        self.firstName = firstName
        self.lastName = lastName
        self.gender = gender
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.company = company
        self.locale = locale
    }
}
