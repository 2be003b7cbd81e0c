/// A customer's validated data: trimmed, typed, optional values either meaningful or `nil`.
///
/// The email keeps the spelling the user gave (the platform shows it as entered); uniqueness is decided
/// case-insensitively by the caller's index, see `uniquenessKey`. `locale` is never empty: an absent one was
/// resolved to the store's default when the customer was created, so later changes of the default do not
/// silently change which language an existing customer is mailed in.
public struct CustomerProfile: Sendable, Equatable {
    public var email: String
    public var salutation: Salutation
    public var firstName: String
    public var lastName: String
    public var gender: Gender?
    public var dateOfBirth: CalendarDate?
    public var phone: String?
    public var company: String?
    public var locale: String

    public init(
        email: String,
        salutation: Salutation,
        firstName: String,
        lastName: String,
        gender: Gender? = nil,
        dateOfBirth: CalendarDate? = nil,
        phone: String? = nil,
        company: String? = nil,
        locale: String
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

    /// "First Last", as greetings and the `To:` header show it.
    public var fullName: String { "\(firstName) \(lastName)" }

    /// The key of the case-insensitive email uniqueness index: trimmed, NFC, case-folded (`EmailCaseFold`).
    public var emailKey: String { Self.uniquenessKey(forEmail: email) }

    /// One definition for every caller (create, import, `CUSTOMER` lookups by email), so that the index and the
    /// lookups can never disagree about what "the same address" means.
    public static func uniquenessKey(forEmail email: String) -> String {
        EmailCaseFold.key(email.trimmed())
    }
}
