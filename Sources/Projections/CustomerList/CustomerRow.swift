import CustomerAggregate
import Foundation

/// One line of the back office's customer list: everything the list and `show` display, as of the last event.
public struct CustomerRow: Sendable, Equatable {
    public var customerId: CustomerID
    public var reference: CustomerReference
    public var email: String
    public var salutation: Salutation
    public var firstName: String
    public var lastName: String
    public var gender: Gender?
    public var dateOfBirth: CalendarDate?
    public var phone: String?
    public var company: String?
    public var locale: String
    public var status: CustomerStatus
    public var createdAt: Date
    public var verifiedAt: Date?
    /// The log position of the customer's `CustomerCreated`: unique, so it breaks every tie in the list order,
    /// and the key of the row.
    public var creationSequence: UInt64

    public init(
        customerId: CustomerID, reference: CustomerReference, email: String, salutation: Salutation,
        firstName: String, lastName: String, gender: Gender?, dateOfBirth: CalendarDate?, phone: String?,
        company: String?, locale: String, status: CustomerStatus, createdAt: Date, verifiedAt: Date?,
        creationSequence: UInt64
    ) {
        self.customerId = customerId
        self.reference = reference
        self.email = email
        self.salutation = salutation
        self.firstName = firstName
        self.lastName = lastName
        self.gender = gender
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.company = company
        self.locale = locale
        self.status = status
        self.createdAt = createdAt
        self.verifiedAt = verifiedAt
        self.creationSequence = creationSequence
    }

    /// The row a `CustomerCreated` at `sequence` starts.
    init(created: CustomerCreated, sequence: UInt64) {
        let profile = created.profile
        self.init(
            customerId: created.customerId, reference: created.reference, email: profile.email,
            salutation: profile.salutation, firstName: profile.firstName, lastName: profile.lastName,
            gender: profile.gender, dateOfBirth: profile.dateOfBirth, phone: profile.phone, company: profile.company,
            locale: profile.locale, status: .unverified, createdAt: created.createdAt, verifiedAt: nil,
            creationSequence: sequence)
    }
}
