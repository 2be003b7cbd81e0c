import CustomerAggregate
import Foundation
import XCTest

/// Events are stored forever: each sample below was encoded when its schema version was introduced and must keep
/// decoding to the same value. Never edit a sample; add one for a new version instead.
final class CustomerEventCodecTests: XCTestCase {
    static let zoe = CustomerEvent.created(CustomerCreated(
        customerId: CustomerID(Fixture.uuid(1)),
        reference: CustomerReference(prefix: "DE", number: 300),
        profile: CustomerProfile(
            email: "Zoe.Orsted@Example.com", salutation: .dr, firstName: "Zoë", lastName: "Ørsted", gender: .female,
            dateOfBirth: CalendarDate(year: 1984, month: 2, day: 29), phone: "+49 (30) 123-456",
            company: "Spryker Systems GmbH", locale: "de_DE"
        ),
        createdAt: Date(timeIntervalSince1970: 1_764_417_600.123456),
        origin: .import
    ))
    static let zoeV1 = "c0ffee00000040008000000000000001024445ac02165a6f652e4f7273746564404578616d706c652e636f6d04045a6fc3"
        + "ab07c39872737465640201c00f021d01102b34392028333029203132332d3435360114537072796b65722053797374656d7320476d"
        + "62480564655f444580c9d3c4cfaea20602"

    static let maria = CustomerEvent.created(CustomerCreated(
        customerId: CustomerID(Fixture.uuid(2)),
        reference: CustomerReference(prefix: "DE", number: 1),
        profile: CustomerProfile(
            email: "maria@example.com", salutation: .ms, firstName: "Maria", lastName: "Williams", locale: "en_US"
        ),
        createdAt: Date(timeIntervalSince1970: 1_764_417_600),
        origin: .backOffice
    ))
    static let mariaV1 = "c0ffee0000004000800000000000000202444501116d61726961406578616d706c652e636f6d03054d617269610857696c6c"
        + "69616d730000000005656e5f555380c0c4c4cfaea20601"

    static let resend = CustomerEvent.verificationRequested(VerificationRequested(
        tokenId: Fixture.uuid(0x10), expiresAt: Date(timeIntervalSince1970: 1_765_022_400), reason: .resend
    ))
    static let resendV1 = "c0ffee0000004000800000000000001080c0e1d2e9d1a20602"

    static let password = CustomerEvent.passwordTokenIssued(PasswordTokenIssued(
        tokenId: Fixture.uuid(0x20), expiresAt: Date(timeIntervalSince1970: 1_764_424_800)
    ))
    static let passwordV1 = "c0ffee0000004000800000000000002080e0fe9685afa206"

    static let verified = CustomerEvent.emailVerified(EmailVerified(
        verifiedAt: Date(timeIntervalSince1970: 1_764_421_200.5), tokenId: Fixture.uuid(0x10)
    ))
    static let verifiedV1 = "c0d49eaeeaaea20601c0ffee00000040008000000000000010"

    static let registered = CustomerEvent.emailVerified(EmailVerified(
        verifiedAt: Date(timeIntervalSince1970: 1_592_956_800), tokenId: nil
    ))
    static let registeredV1 = "8080a783a5b2d40500"

    static let passwordSet = CustomerEvent.passwordSet(PasswordSet(
        setAt: Date(timeIntervalSince1970: 1_764_421_200.5), source: .passwordLink, tokenId: Fixture.uuid(0x20), algorithm: "yescrypt"
    ))
    static let passwordSetV1 = "c0d49eaeeaaea2060101c0ffee00000040008000000000000020087965736372797074"
    static let rehashed = CustomerEvent.passwordRehashed(PasswordRehashed(
        rehashedAt: Date(timeIntervalSince1970: 1_764_421_200), fromAlgorithm: "bcrypt", toAlgorithm: "yescrypt"
    ))
    static let rehashedV1 = "80d0e1adeaaea20606626372797074087965736372797074"
    static let signedIn = CustomerEvent.signInSucceeded(SignInSucceeded(signedInAt: Date(timeIntervalSince1970: 1_764_421_200)))
    static let signedInV1 = "80d0e1adeaaea206"
    static let signInFailed = CustomerEvent.signInFailed(SignInFailed(
        failedAt: Date(timeIntervalSince1970: 1_764_421_200), reason: .wrongPassword, consecutiveFailures: 3
    ))
    static let signInFailedV1 = "80d0e1adeaaea2060103"
    static let locked = CustomerEvent.accountLocked(AccountLocked(
        lockedAt: Date(timeIntervalSince1970: 1_764_421_200), lockedUntil: Date(timeIntervalSince1970: 1_764_421_260), lockNumber: 1
    ))
    static let lockedV1 = "80d0e1adeaaea20680ecfde6eaaea20601"
    /// Every kind of change, set and cleared, in form order.
    static let edited = CustomerEvent.edited(CustomerEdited(changes: [
        .salutation(.dr), .firstName("Zoë"), .lastName("Smyth"), .gender(nil),
        .dateOfBirth(CalendarDate(year: 1984, month: 2, day: 29)), .phone(nil), .company("ACME"), .locale("de_DE"),
    ]))
    static let editedV1 = "08010402045a6fc3ab0305536d79746804000501c00f021d060007010441434d45080564655f4445"

    static let editedClearing = CustomerEvent.edited(CustomerEdited(changes: [
        .gender(.male), .dateOfBirth(nil), .phone("+49 30"), .company(nil),
    ]))
    static let editedClearingV1 = "04040105000601062b34392033300700"

    static let forgotten = CustomerEvent.forgotten(CustomerForgotten(
        forgottenAt: Date(timeIntervalSince1970: 1_764_421_200), reason: "asked"))
    static let forgottenV1 = "80d0e1adeaaea2060561736b6564"

    static let samples: [(event: CustomerEvent, type: String, version: UInt16, hex: String)] = [
        (zoe, "CustomerCreated", 1, zoeV1),
        (maria, "CustomerCreated", 1, mariaV1),
        (resend, "VerificationRequested", 1, resendV1),
        (password, "PasswordTokenIssued", 1, passwordV1),
        (verified, "EmailVerified", 1, verifiedV1),
        (registered, "EmailVerified", 1, registeredV1),
        (passwordSet, "PasswordSet", 1, passwordSetV1),
        (rehashed, "PasswordRehashed", 1, rehashedV1),
        (signedIn, "SignInSucceeded", 1, signedInV1),
        (signInFailed, "SignInFailed", 1, signInFailedV1),
        (locked, "AccountLocked", 1, lockedV1),
        (edited, "CustomerEdited", 1, editedV1),
        (editedClearing, "CustomerEdited", 1, editedClearingV1),
        (forgotten, "CustomerForgotten", 1, forgottenV1),
    ]

    func testCommittedSamplesStillDecode() throws {
        for sample in Self.samples {
            let decoded = try CustomerEvent.decode(
                typeName: sample.type, schemaVersion: sample.version, bytes: [UInt8](hex: sample.hex)
            )
            XCTAssertEqual(decoded, sample.event, sample.type)
        }
    }

    /// The current encoder still writes the committed bytes, so a layout change cannot slip in without a new version.
    func testCurrentEncodingMatchesTheSamples() {
        for sample in Self.samples {
            XCTAssertEqual(sample.event.typeName, sample.type)
            XCTAssertEqual(sample.event.schemaVersion, sample.version)
            XCTAssertEqual(sample.event.encodePayload().hex, sample.hex, sample.type)
        }
    }

    func testEveryEventRoundTrips() throws {
        let events = Self.samples.map(\.event) + Fixture.signedUp + [Fixture.passwordTokenIssued, Fixture.verified()]
        for event in events {
            let bytes = event.encodePayload()
            let decoded = try bytes.withUnsafeBytes {
                try CustomerEvent.decode(typeName: event.typeName, schemaVersion: event.schemaVersion, payload: $0)
            }
            XCTAssertEqual(decoded, event)
        }
    }

    /// The decider stamps microsecond times, so what it decides equals what a replay of the log reads back.
    func testDecidedEventsEqualTheirStoredForm() throws {
        let oddInstant = Date(timeIntervalSince1970: 1_764_417_600.123_456_789)
        let events = try CustomerDecider.decide(
            Fixture.create(sendPasswordToken: true), state: CustomerDecider.initialState,
            context: Fixture.context(oddInstant)
        )
        XCTAssertEqual(events.count, 3)
        for event in events {
            let decoded = try CustomerEvent.decode(
                typeName: event.typeName, schemaVersion: event.schemaVersion, bytes: event.encodePayload()
            )
            XCTAssertEqual(decoded, event)
        }
    }

    func testUnknownTypeAndFutureVersionAreRefused() {
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "CustomerDeleted", schemaVersion: 1, bytes: [])) {
            XCTAssertEqual(($0 as? EventDecodingError)?.reason, "unknown event type")
        }
        XCTAssertThrowsError(
            try CustomerEvent.decode(typeName: "EmailVerified", schemaVersion: 2, bytes: [UInt8](hex: Self.registeredV1))
        ) {
            XCTAssertTrue(($0 as? EventDecodingError)?.reason.contains("unsupported schema version") == true, "\($0)")
        }
    }

    func testTruncatedTrailingAndCorruptPayloadsAreRefused() {
        let full = [UInt8](hex: Self.zoeV1)
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "CustomerCreated", schemaVersion: 1, bytes: Array(full.dropLast())))
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "CustomerCreated", schemaVersion: 1, bytes: full + [0])) {
            XCTAssertTrue("\($0)".contains("trailing"), "\($0)")
        }
        var badReason = [UInt8](hex: Self.resendV1)
        badReason[badReason.count - 1] = 9
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "VerificationRequested", schemaVersion: 1, bytes: badReason)) {
            XCTAssertTrue("\($0)".contains("verification reason"), "\($0)")
        }
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "PasswordTokenIssued", schemaVersion: 1, bytes: []))
        var badField = [UInt8](hex: Self.editedClearingV1)
        badField[1] = 9
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "CustomerEdited", schemaVersion: 1, bytes: badField)) {
            XCTAssertTrue("\($0)".contains("unknown edited field code 9"), "\($0)")
        }
    }

    func testTypeNamesListsEveryCustomerEventType() {
        XCTAssertEqual(
            CustomerEvent.typeNames,
            ["CustomerCreated", "VerificationRequested", "PasswordTokenIssued", "EmailVerified",
             "PasswordSet", "PasswordRehashed", "SignInSucceeded", "SignInFailed", "AccountLocked", "CustomerEdited",
             "CustomerForgotten"]
        )
        XCTAssertEqual(Set(Self.samples.map(\.type)), CustomerEvent.typeNames)
    }
}
