import CustomerAggregate
import Foundation
import XCTest

/// The password policy, SetPassword and the sign-in rules, over the pure decider.
final class PasswordPolicyTests: XCTestCase {
    let common = CommonPasswords(["correcthorsebatterystaple", "password1234"])

    func problems(_ password: String) -> [String] {
        PasswordPolicy.problems(of: password, for: Fixture.profile, commonPasswords: common).map(\.message)
    }

    func testAGoodPasswordPasses() {
        XCTAssertEqual(problems("tangerine-orbit-42"), [])
    }

    func testLengthIsCountedInCharactersBetween12And128() {
        XCTAssertEqual(problems("short-pw-1"), ["must be at least 12 characters long (it has 10)"])
        XCTAssertEqual(problems("ééééééééééé1"), [], "12 characters, more bytes")
        XCTAssertEqual(problems(String(repeating: "q", count: 128)), [])
        XCTAssertEqual(problems(String(repeating: "q", count: 129)), ["must be at most 128 characters long (it has 129)"])
    }

    func testPersonalPartsAreRefusedCaseInsensitively() {
        // Fixture: maria@example.com, Maria Williams.
        XCTAssertEqual(problems("xx-MARIA-xx-tangerine"), [
            "must not contain the email address's local part", "must not contain the first name",
        ])
        XCTAssertEqual(problems("tangerine-williamS"), ["must not contain the last name"])
    }

    func testShortNamesAreNotLookedFor() {
        let profile = CustomerProfile(email: "al@example.com", salutation: .mr, firstName: "Al", lastName: "Wu", locale: "en_US")
        XCTAssertEqual(PasswordPolicy.problems(of: "al-wu-tangerine-orbit", for: profile, commonPasswords: .none), [])
    }

    func testTheBlockListIsCaseInsensitive() {
        XCTAssertEqual(problems("CorrectHorseBatteryStaple"), [
            "is one of the most common passwords; choose one that is harder to guess",
        ])
    }

    func testEveryBrokenRuleIsNamedOnFieldPassword() {
        let broken = PasswordPolicy.problems(of: "maria", for: Fixture.profile, commonPasswords: CommonPasswords(["maria"]))
        XCTAssertEqual(broken.count, 4)
        XCTAssertTrue(broken.allSatisfy { $0.field == "password" })
    }

    func testTheListFileHeaderEndsAtTheFirstEmptyLine() {
        let list = CommonPasswords(listText: "# header\n# more\n\n#1pimp\nqwerty\n")
        XCTAssertEqual(list.count, 2)
        XCTAssertTrue(list.contains("#1pimp"))
        XCTAssertFalse(list.contains("# header"))
    }
}

final class SetPasswordTests: XCTestCase {
    let good = "tangerine-orbit-42"

    func setPassword(_ password: String, token: UUID = Fixture.passwordTokenId) -> CustomerCommand {
        .setPassword(SetPassword(tokenId: token, password: password, algorithm: "yescrypt", commonPasswords: .none))
    }

    func testSettingThePasswordAlsoVerifiesAnUnverifiedCustomer() {
        given(Fixture.signedUp + [Fixture.passwordTokenIssued], when: setPassword(good), then: [
            .passwordSet(PasswordSet(setAt: Fixture.now, source: .passwordLink, tokenId: Fixture.passwordTokenId, algorithm: "yescrypt")),
            .emailVerified(EmailVerified(verifiedAt: Fixture.now, tokenId: Fixture.passwordTokenId)),
        ])
    }

    func testAVerifiedCustomerJustGetsThePassword() {
        let later = Fixture.now + Fixture.hour + 60
        given(Fixture.signedUp + [Fixture.verified(), Fixture.passwordTokenIssued], when: setPassword(good),
              context: Fixture.context(later), then: [
                  .passwordSet(PasswordSet(setAt: later, source: .passwordLink, tokenId: Fixture.passwordTokenId, algorithm: "yescrypt")),
              ])
    }

    func testTheTokenIsConsumed() {
        let history = Fixture.signedUp + [Fixture.passwordTokenIssued] + (try! CustomerDecider.decide(
            setPassword(good), state: CustomerDecider.replay(Fixture.signedUp + [Fixture.passwordTokenIssued]), context: Fixture.context()))
        given(history, when: setPassword("another-good-one-77"), thenError: .tokenUsed)
        XCTAssertEqual(CustomerDecider.replay(history).password?.algorithm, "yescrypt")
    }

    func testUnknownSupersededAndExpiredTokens() {
        given(Fixture.signedUp + [Fixture.passwordTokenIssued], when: setPassword(good, token: Fixture.uuid(0x99)), thenError: .tokenUnknown)
        let second = CustomerEvent.passwordTokenIssued(PasswordTokenIssued(tokenId: Fixture.secondPasswordTokenId, expiresAt: Fixture.now + 3600))
        given(Fixture.signedUp + [Fixture.passwordTokenIssued, second], when: setPassword(good), thenError: .tokenSuperseded)
        given(Fixture.signedUp + [Fixture.passwordTokenIssued], when: setPassword(good),
              context: Fixture.context(Fixture.now + 2 * Fixture.hour), thenError: .tokenExpired)
    }

    func testAWeakPasswordIsRefusedWithEveryRule() {
        let error = given(Fixture.signedUp + [Fixture.passwordTokenIssued], when: setPassword("maria"), thenError: .passwordPolicy)
        XCTAssertEqual(error?.problems.map(\.field), ["password", "password", "password"])
    }

    func testAnImportedHashIsRecordedWithoutTheHash() {
        let command = CustomerCommand.importCustomer(ImportCustomer(
            customerId: Fixture.customerId, reference: Fixture.reference, form: Fixture.form, emailAlreadyUsed: false,
            registeredOn: Fixture.today, verificationTokenId: nil, passwordAlgorithm: "bcrypt"))
        let events = try? CustomerDecider.decide(command, state: CustomerDecider.initialState, context: Fixture.context())
        XCTAssertEqual(events?.count, 3)
        XCTAssertEqual(events?.last, .passwordSet(PasswordSet(setAt: Fixture.now, source: .import, tokenId: nil, algorithm: "bcrypt")))
    }
}

final class SignInRulesTests: XCTestCase {
    let verified = Fixture.signedUp + [Fixture.verified()]
    let later = Fixture.now + Fixture.day

    func attempt(_ check: SignIn.PasswordCheck, after history: [CustomerEvent], at now: Date, settings: StoreSettings = .defaults) -> [CustomerEvent] {
        (try? CustomerDecider.decide(.signIn(SignIn(check: check)), state: CustomerDecider.replay(history),
                                     context: Fixture.context(now, settings: settings))) ?? []
    }

    func testTheRightPasswordSignsIn() {
        given(verified, when: .signIn(SignIn(check: .matched)), context: Fixture.context(later),
              then: [.signInSucceeded(SignInSucceeded(signedInAt: later))])
    }

    func testAnUnverifiedCustomerIsRefusedWhileTheSettingSaysSo() {
        given(Fixture.signedUp, when: .signIn(SignIn(check: .matched)),
              then: [.signInFailed(SignInFailed(failedAt: Fixture.now, reason: .notVerified, consecutiveFailures: 0))])
        var open = StoreSettings.defaults
        open.signInRequiresVerified = false
        given(Fixture.signedUp, when: .signIn(SignIn(check: .matched)), context: Fixture.context(settings: open),
              then: [.signInSucceeded(SignInSucceeded(signedInAt: Fixture.now))])
    }

    func testFiveWrongPasswordsLockForOneMinuteThenDoublingUpTo15() {
        var history = verified
        var now = later
        var locks: [TimeInterval] = []
        for _ in 1...6 {  // six lock-outs: 1, 2, 4, 8, 15, 15 minutes
            for failure in 1...5 {
                let events = attempt(.mismatched, after: history, at: now)
                guard case .signInFailed(let failed) = events.first else { return XCTFail("\(events)") }
                XCTAssertEqual(failed.reason, .wrongPassword)
                XCTAssertEqual(failed.consecutiveFailures, failure)
                XCTAssertEqual(events.count, failure == 5 ? 2 : 1)
                history += events
                now += 1
            }
            guard case .accountLocked(let lock) = history.last else { return XCTFail("no lock") }
            locks.append(lock.lockedUntil.timeIntervalSince(lock.lockedAt))
            // While locked even the right password is refused, and does not count.
            XCTAssertEqual(attempt(.matched, after: history, at: lock.lockedUntil - 0.001),
                           [.signInFailed(SignInFailed(failedAt: UTCTime.roundedToMicroseconds(lock.lockedUntil - 0.001), reason: .locked, consecutiveFailures: 0))])
            now = lock.lockedUntil
        }
        XCTAssertEqual(locks, [60, 120, 240, 480, 900, 900])
        // A success resets the doubling.
        history += attempt(.matched, after: history, at: now)
        XCTAssertEqual(CustomerDecider.replay(history).signIn, SignInRecord(lastSignedInAt: now))
    }

    func testTheSettingsChooseTheLimitAndDurations() {
        var settings = StoreSettings.defaults
        settings.signInMaxFailures = 2
        settings.signInLock = DeliveryBackoff(first: 10, maximum: 10)
        let first = attempt(.mismatched, after: verified, at: later, settings: settings)
        let second = attempt(.mismatched, after: verified + first, at: later, settings: settings)
        XCTAssertEqual(second.last, .accountLocked(AccountLocked(lockedAt: later, lockedUntil: later + 10, lockNumber: 1)))
    }

    func testNoPasswordFailsWithoutCounting() {
        given(verified, when: .signIn(SignIn(check: .noCredential)), context: Fixture.context(later),
              then: [.signInFailed(SignInFailed(failedAt: later, reason: .noPassword, consecutiveFailures: 0))])
    }

    func testAnUpgradeIsAuditedWithTheSuccess() {
        given(verified, when: .signIn(SignIn(check: .matched, upgradeFrom: "bcrypt", upgradeTo: "yescrypt")), context: Fixture.context(later), then: [
            .signInSucceeded(SignInSucceeded(signedInAt: later)),
            .passwordRehashed(PasswordRehashed(rehashedAt: later, fromAlgorithm: "bcrypt", toAlgorithm: "yescrypt")),
        ])
    }

    func testSignInSettingsAreValidatedAndCanonical() throws {
        XCTAssertEqual(try SettingsDecider.decide(key: "sign-in-requires-verified", value: "FALSE", current: .defaults).map(\.value), ["false"])
        XCTAssertEqual(try SettingsDecider.decide(key: "sign-in-lock", value: "30s,120s", current: .defaults).map(\.value), ["30s,2m"])
        XCTAssertThrowsError(try SettingsDecider.decide(key: "sign-in-max-failures", value: "0", current: .defaults))
        XCTAssertThrowsError(try SettingsDecider.decide(key: "sign-in-requires-verified", value: "maybe", current: .defaults))
        XCTAssertEqual(StoreSettings.defaults.value(for: .signInLock), "1m,15m")
        XCTAssertEqual(StoreSettings.defaults.value(for: .signInMaxFailures), "5")
    }
}
