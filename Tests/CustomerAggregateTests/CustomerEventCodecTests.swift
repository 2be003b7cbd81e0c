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
    /// Every field present, both defaults.
    static let addressAdded = CustomerEvent.address(.added(AddressAdded(
        addressId: AddressID(number: 1),
        address: PostalAddress([
            .salutation: "Ms", .firstName: "Zoë", .lastName: "Ørsted", .company: "ACME", .address1: "Hauptstraße 1",
            .address2: "Hinterhaus", .address3: "3. OG", .city: "München", .zipCode: "80331", .country: "DE",
            .phone: "+49 89 1", .comment: "Ring twice",
        ]),
        defaultBilling: true, defaultShipping: true)))
    static let addressAddedV1 = "01030c01024d7302045a6fc3ab0307c3987273746564040441434d45050e486175707473747261c39f652031060a48696e7465726861"
        + "75730705332e204f4708084dc3bc6e6368656e090538303333310a0244450b082b343920383920310c0a52696e67207477696365"
    /// Only the required fields, no default.
    static let addressAddedMinimal = CustomerEvent.address(.added(AddressAdded(
        addressId: AddressID(number: 300),
        address: PostalAddress([.salutation: "Mr", .firstName: "Max", .lastName: "Mu", .address1: "Weg 2", .city: "Kiel", .zipCode: "24103", .country: "DE"]))))
    static let addressAddedMinimalV1 = "ac02000701024d7202034d617803024d750505576567203208044b69656c090532343130330a024445"
    /// A field set, one cleared, the billing default taken, the shipping default given up.
    static let addressEdited = CustomerEvent.address(.edited(AddressEdited(
        addressId: AddressID(number: 2), changes: [AddressFieldChange(.city, "Berlin"), AddressFieldChange(.company, nil)],
        defaultBilling: true, defaultShipping: false)))
    static let addressEditedV1 = "020102020801064265726c696e0400"
    static let addressEditedDefaultsUnchanged = CustomerEvent.address(.edited(AddressEdited(
        addressId: AddressID(number: 2), changes: [AddressFieldChange(.comment, "Back door")])))
    static let addressEditedDefaultsUnchangedV1 = "020000010c01094261636b20646f6f72"
    static let addressRemoved = CustomerEvent.address(.removed(AddressRemoved(addressId: AddressID(number: 2))))
    static let addressRemovedV1 = "02"
    static let noteAdded = CustomerEvent.note(.added(NoteAdded(
        noteId: NoteID(number: 1), message: "Called about\nthe invoice", author: "alice",
        addedAt: Date(timeIntervalSince1970: 1_764_421_200.5))))
    static let noteAddedV1 = "011843616c6c65642061626f75740a74686520696e766f69636505616c696365c0d49eaeeaaea206"
    static let noteWithdrawn = CustomerEvent.note(.withdrawn(NoteWithdrawn(
        noteId: NoteID(number: 1), reason: "wrong customer", withdrawnBy: "bob", withdrawnAt: Date(timeIntervalSince1970: 1_764_421_260))))
    static let noteWithdrawnV1 = "01010e77726f6e6720637573746f6d657203626f6280ecfde6eaaea206"
    static let noteWithdrawnWithoutReason = CustomerEvent.note(.withdrawn(NoteWithdrawn(
        noteId: NoteID(number: 2), reason: nil, withdrawnBy: "bob", withdrawnAt: Date(timeIntervalSince1970: 1_764_421_260))))
    static let noteWithdrawnWithoutReasonV1 = "020003626f6280ecfde6eaaea206"
    static let changeRequested = CustomerEvent.emailChangeRequested(EmailChangeRequested(
        email: "Zoe@New.Example", tokenId: Fixture.uuid(0x30), expiresAt: Date(timeIntervalSince1970: 1_765_022_400)
    ))
    static let changeRequestedV1 = "0f5a6f65404e65772e4578616d706c65c0ffee0000004000800000000000003080c0e1d2e9d1a206"
    static let changeConfirmed = CustomerEvent.emailChangeConfirmed(EmailChangeConfirmed(
        previousEmail: "zoe@old.example", email: "Zoe@New.Example", tokenId: Fixture.uuid(0x30),
        confirmedAt: Date(timeIntervalSince1970: 1_764_421_200.5)
    ))
    static let changeConfirmedV1 = "0f7a6f65406f6c642e6578616d706c650f5a6f65404e65772e4578616d706c65c0ffee0000004000"
        + "8000000000000030c0d49eaeeaaea206"
    static let changedAtOnce = CustomerEvent.emailChanged(EmailChanged(
        previousEmail: "zoe@old.exmaple", email: "zoe@old.example", reason: "typo in the domain, said on the phone"
    ))
    static let changedAtOnceV1 = "0f7a6f65406f6c642e65786d61706c650f7a6f65406f6c642e6578616d706c65257479706f20696e"
        + "2074686520646f6d61696e2c2073616964206f6e207468652070686f6e65"
    static let changedVerification = CustomerEvent.verificationRequested(VerificationRequested(
        tokenId: Fixture.uuid(0x10), expiresAt: Date(timeIntervalSince1970: 1_765_022_400), reason: .emailChanged
    ))
    static let changedVerificationV1 = "c0ffee0000004000800000000000001080c0e1d2e9d1a20604"

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
        (addressAdded, "AddressAdded", 1, addressAddedV1),
        (addressAddedMinimal, "AddressAdded", 1, addressAddedMinimalV1),
        (addressEdited, "AddressEdited", 1, addressEditedV1),
        (addressEditedDefaultsUnchanged, "AddressEdited", 1, addressEditedDefaultsUnchangedV1),
        (addressRemoved, "AddressRemoved", 1, addressRemovedV1),
        (noteAdded, "NoteAdded", 1, noteAddedV1),
        (noteWithdrawn, "NoteWithdrawn", 1, noteWithdrawnV1),
        (noteWithdrawnWithoutReason, "NoteWithdrawn", 1, noteWithdrawnWithoutReasonV1),
        (changeRequested, "EmailChangeRequested", 1, changeRequestedV1),
        (changeConfirmed, "EmailChangeConfirmed", 1, changeConfirmedV1),
        (changedAtOnce, "EmailChanged", 1, changedAtOnceV1),
        (changedVerification, "VerificationRequested", 1, changedVerificationV1),
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

    func testBrokenAddressAndNotePayloadsAreRefusedWithTheirOffset() {
        var unknownField = [UInt8](hex: Self.addressEditedV1)
        unknownField[4] = 99
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "AddressEdited", schemaVersion: 1, bytes: unknownField)) {
            XCTAssertTrue("\($0)".contains("unknown address field code 99"), "\($0)")
        }
        var badDefault = [UInt8](hex: Self.addressEditedV1)
        badDefault[1] = 7
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "AddressEdited", schemaVersion: 1, bytes: badDefault)) {
            XCTAssertTrue("\($0)".contains("unknown address default change 7"), "\($0)")
        }
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "AddressRemoved", schemaVersion: 1, bytes: [0])) {
            XCTAssertTrue("\($0)".contains("invalid AddressID number 0"), "\($0)")
        }
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "AddressRemoved", schemaVersion: 1, bytes: [2, 0]), "trailing bytes")
        XCTAssertThrowsError(try CustomerEvent.decode(typeName: "NoteAdded", schemaVersion: 2, bytes: [UInt8](hex: Self.noteAddedV1))) {
            XCTAssertTrue("\($0)".contains("NoteAdded"), "\($0)")
        }
    }

    func testTypeNamesListsEveryCustomerEventType() {
        XCTAssertEqual(
            CustomerEvent.typeNames,
            ["CustomerCreated", "VerificationRequested", "PasswordTokenIssued", "EmailVerified",
             "PasswordSet", "PasswordRehashed", "SignInSucceeded", "SignInFailed", "AccountLocked", "CustomerEdited",
             "CustomerForgotten",
             "EmailChangeRequested", "EmailChangeConfirmed", "EmailChanged",
             "AddressAdded", "AddressEdited", "AddressRemoved", "NoteAdded", "NoteWithdrawn"]
        )
        XCTAssertEqual(Set(Self.samples.map(\.type)), CustomerEvent.typeNames)
    }
}
