import Foundation

/// One row of a platform export (`customer.csv`) or a JSON Lines import.
///
/// Unlike `CreateCustomer`, the reference comes from the file, a `registered` day makes the customer Verified
/// from that day, and no email is queued unless the caller asks (a migration must not mail every customer).
public struct ImportCustomer: Sendable, Equatable {
    public var customerId: CustomerID
    public var reference: CustomerReference
    public var form: CustomerForm
    public var emailAlreadyUsed: Bool
    /// Set: the customer is Verified since that instant (and was created then, unless `createdAt` says earlier).
    public var registeredAt: Date?
    /// When the platform created the customer (nil: at the registration, else now).
    public var createdAt: Date?
    /// Non-nil: also request a verification email. Ignored for a registered (Verified) customer.
    public var verificationTokenId: UUID?
    /// Non-nil: the row carried a password hash of this algorithm, which becomes the customer's credential
    /// (the caller writes the hash to the credentials table; the event records only the algorithm).
    public var passwordAlgorithm: String?

    /// The registration as a day (00:00 UTC), as the platform's CSV gives it.
    public var registeredOn: CalendarDate? { registeredAt.map(CalendarDate.init(utcDayOf:)) }

    public init(
        customerId: CustomerID, reference: CustomerReference, form: CustomerForm, emailAlreadyUsed: Bool,
        registeredAt: Date?, createdAt: Date?, verificationTokenId: UUID?, passwordAlgorithm: String? = nil
    ) {
        self.customerId = customerId
        self.reference = reference
        self.form = form
        self.emailAlreadyUsed = emailAlreadyUsed
        self.registeredAt = registeredAt
        self.createdAt = createdAt
        self.verificationTokenId = verificationTokenId
        self.passwordAlgorithm = passwordAlgorithm
    }

    public init(
        customerId: CustomerID,
        reference: CustomerReference,
        form: CustomerForm,
        emailAlreadyUsed: Bool,
        registeredOn: CalendarDate?,
        verificationTokenId: UUID?,
        passwordAlgorithm: String? = nil
    ) {
        self.customerId = customerId
        self.reference = reference
        self.form = form
        self.emailAlreadyUsed = emailAlreadyUsed
        self.registeredAt = registeredOn?.midnightUTC
        self.createdAt = nil
        self.verificationTokenId = verificationTokenId
        self.passwordAlgorithm = passwordAlgorithm
    }
}
