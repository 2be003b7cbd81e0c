import CustomerAggregate
import Foundation

/// Fixed values for "given / when / then" tests: no clock, no randomness, so every expectation is exact.
enum Fixture {
    /// A UUID whose last byte is `n` (and a recognisable pattern elsewhere), for readable ids in tests.
    static func uuid(_ n: UInt8) -> UUID {
        UUID(uuid: (0xC0, 0xFF, 0xEE, 0x00, 0x00, 0x00, 0x40, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, n))
    }

    static let customerId = CustomerID(uuid(1))
    static let reference = CustomerReference(prefix: "DE", number: 3)
    static let verificationTokenId = uuid(0x10)
    static let passwordTokenId = uuid(0x20)
    static let secondVerificationTokenId = uuid(0x11)
    static let secondPasswordTokenId = uuid(0x21)

    /// 2025-11-29T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_764_417_600)
    static let today = CalendarDate(year: 2025, month: 11, day: 29)!
    static let day: TimeInterval = 86_400
    static let hour: TimeInterval = 3_600

    static let settings = StoreSettings.defaults
    static func context(_ now: Date = Fixture.now, settings: StoreSettings = .defaults) -> DecisionContext {
        DecisionContext(now: now, settings: settings)
    }

    static let form = CustomerForm(
        email: "maria@example.com", salutation: "Ms", firstName: "Maria", lastName: "Williams"
    )

    static let profile = CustomerProfile(
        email: "maria@example.com", salutation: .ms, firstName: "Maria", lastName: "Williams", locale: "en_US"
    )

    static func create(
        form: CustomerForm = Fixture.form, sendPasswordToken: Bool = false, emailAlreadyUsed: Bool = false
    ) -> CustomerCommand {
        .create(CreateCustomer(
            customerId: customerId, reference: reference, form: form, sendPasswordToken: sendPasswordToken,
            emailAlreadyUsed: emailAlreadyUsed, verificationTokenId: verificationTokenId,
            passwordTokenId: sendPasswordToken ? passwordTokenId : nil
        ))
    }

    static func importRow(
        form: CustomerForm = Fixture.form, registeredOn: CalendarDate? = nil, verificationTokenId: UUID? = nil,
        emailAlreadyUsed: Bool = false
    ) -> CustomerCommand {
        .importCustomer(ImportCustomer(
            customerId: customerId, reference: reference, form: form, emailAlreadyUsed: emailAlreadyUsed,
            registeredOn: registeredOn, verificationTokenId: verificationTokenId
        ))
    }

    // MARK: Events

    static let created = CustomerEvent.created(CustomerCreated(
        customerId: customerId, reference: reference, profile: profile, createdAt: now, origin: .backOffice
    ))

    static let verificationRequested = CustomerEvent.verificationRequested(VerificationRequested(
        tokenId: verificationTokenId, expiresAt: now + 7 * day, reason: .signUp
    ))

    static let passwordTokenIssued = CustomerEvent.passwordTokenIssued(PasswordTokenIssued(
        tokenId: passwordTokenId, expiresAt: now + 2 * hour
    ))

    /// What `create` without the password flag records.
    static let signedUp: [CustomerEvent] = [created, verificationRequested]

    static func verified(at instant: Date = Fixture.now + Fixture.hour, tokenId: UUID? = Fixture.verificationTokenId)
        -> CustomerEvent
    {
        .emailVerified(EmailVerified(verifiedAt: instant, tokenId: tokenId))
    }

    static func resent(_ tokenId: UUID = Fixture.secondVerificationTokenId, at instant: Date) -> CustomerEvent {
        .verificationRequested(VerificationRequested(tokenId: tokenId, expiresAt: instant + 7 * day, reason: .resend))
    }
}
