/// The back office's "Edit customer": new values for some profile fields, untrimmed and unchecked.
///
/// A nil field is left as it is; an empty (or all-blank) value clears an optional field, and is a "required"
/// problem for a required one. The email is not edited here: changing it needs its own verification.
public struct EditCustomer: Sendable, Equatable {
    public var salutation: String?
    public var firstName: String?
    public var lastName: String?
    public var gender: String?
    public var dateOfBirth: String?
    public var phone: String?
    public var company: String?
    public var locale: String?

    public init(
        salutation: String? = nil, firstName: String? = nil, lastName: String? = nil, gender: String? = nil,
        dateOfBirth: String? = nil, phone: String? = nil, company: String? = nil, locale: String? = nil
    ) {
        self.salutation = salutation
        self.firstName = firstName
        self.lastName = lastName
        self.gender = gender
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.company = company
        self.locale = locale
    }

    /// The given values, in form order, as `(field, value)`; what a request fingerprint and the decider read.
    public var givenValues: [(field: CustomerField, value: String)] {
        let all: [(CustomerField, String?)] = [
            (.salutation, salutation), (.firstName, firstName), (.lastName, lastName), (.gender, gender),
            (.dateOfBirth, dateOfBirth), (.phone, phone), (.company, company), (.locale, locale),
        ]
        return all.compactMap { field, value in value.map { (field, $0) } }
    }
}
