import CompactCodec
import CustomerAggregate
import Foundation
import XCTest

/// The access stream's decider: given these events, when this command, then these events (or this refusal).
final class AccessDeciderTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var context: DecisionContext { DecisionContext(now: now) }

    func state(_ events: [AccessEvent]) -> AccessState { AccessDecider.replay(events) }
    var alice: AccessEvent { .operatorAdded(OperatorAdded(name: "alice", role: .agent, addedAt: now)) }

    func testWrongPasswordsLockOutAfterTheStoresLimitAndASuccessResetsTheCount() throws {
        var events = [alice]
        for attempt in 1...5 {
            let decided = try AccessDecider.decide(.signIn(name: "alice", passwordMatched: false), state: state(events), context: context)
            XCTAssertEqual(decided.first, .operatorSignInFailed(OperatorSignInFailed(name: "alice", failedAt: now, consecutiveFailures: attempt)))
            XCTAssertEqual(decided.count, attempt == 5 ? 2 : 1, "the fifth locks")
            events += decided
        }
        XCTAssertEqual(events.last, .operatorLockedOut(OperatorLockedOut(name: "alice", lockedUntil: now.addingTimeInterval(60), lockNumber: 1)))
        XCTAssertThrowsError(try AccessDecider.decide(.signIn(name: "alice", passwordMatched: true), state: state(events), context: context)) {
            XCTAssertEqual(($0 as? DomainError)?.code, .accountLocked)
        }
        let later = DecisionContext(now: now.addingTimeInterval(61))
        XCTAssertEqual(try AccessDecider.decide(.signIn(name: "alice", passwordMatched: true), state: state(events), context: later).count, 1)
    }

    func testUnknownAndDisabledOperatorsGetTheGenericRefusalAndNothingIsRecorded() {
        let disabled = [alice, .operatorDisabled(OperatorDisabled(name: "alice", disabledAt: now))]
        for (name, events) in [("nobody", [alice]), ("alice", disabled)] {
            XCTAssertThrowsError(try AccessDecider.decide(.signIn(name: name, passwordMatched: true), state: state(events), context: context)) {
                XCTAssertEqual($0 as? DomainError, AccessDecider.signInRefused)
            }
        }
        XCTAssertThrowsError(try AccessDecider.decide(.resetOperatorPassword(name: "alice"), state: state(disabled), context: context)) {
            XCTAssertEqual(($0 as? DomainError)?.code, .operatorDisabled)
        }
    }

    func testNamesAreNeverReusedAndRevokedKeysCannotBeRevokedAgain() {
        let key: AccessEvent = .apiKeyCreated(ApiKeyCreated(name: "crm", role: .viewer, createdAt: now))
        let revoked = [key, .apiKeyRevoked(ApiKeyRevoked(name: "crm", revokedAt: now))]
        XCTAssertThrowsError(try AccessDecider.decide(.addOperator(name: "alice", role: .admin), state: state([alice]), context: context))
        XCTAssertThrowsError(try AccessDecider.decide(.createApiKey(name: "crm", role: .agent), state: state(revoked), context: context))
        XCTAssertThrowsError(try AccessDecider.decide(.revokeApiKey(name: "crm"), state: state(revoked), context: context)) {
            XCTAssertEqual(($0 as? DomainError)?.code, .apiKeyNotFound)
        }
    }

    func testEveryEventRoundTripsThroughItsCodec() throws {
        let events: [AccessEvent] = [
            alice, .operatorDisabled(OperatorDisabled(name: "a", disabledAt: now)),
            .operatorPasswordReset(OperatorPasswordReset(name: "a", resetAt: now)),
            .operatorSignedIn(OperatorSignedIn(name: "a", signedInAt: now)),
            .operatorSignInFailed(OperatorSignInFailed(name: "a", failedAt: now, consecutiveFailures: 3)),
            .operatorLockedOut(OperatorLockedOut(name: "a", lockedUntil: now, lockNumber: 2)),
            .apiKeyCreated(ApiKeyCreated(name: "k", role: .admin, createdAt: now)),
            .apiKeyRevoked(ApiKeyRevoked(name: "k", revokedAt: now)),
        ]
        XCTAssertEqual(Set(events.map(\.typeName)), AccessEvent.typeNames)
        for event in events {
            XCTAssertEqual(try AccessEvent.decode(typeName: event.typeName, schemaVersion: 1, bytes: event.encodePayload()), event)
        }
        var bad = alice.encodePayload()
        bad[6] = 9  // the role byte after "alice"'s length and 5 bytes
        XCTAssertThrowsError(try AccessEvent.decode(typeName: "OperatorAdded", schemaVersion: 1, bytes: bad))
    }
}
