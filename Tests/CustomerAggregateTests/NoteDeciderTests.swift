import CustomerAggregate
import Foundation
import XCTest

/// `note add/withdraw`: the message's rules, authors, ids, withdrawal.
final class NoteDeciderTests: XCTestCase {
    private func added(_ number: UInt32, _ message: String = "Called about the invoice", by author: String = "alice", at: Date = Fixture.now) -> CustomerEvent {
        .note(.added(NoteAdded(noteId: NoteID(number: number), message: message, author: author, addedAt: at)))
    }

    private func withdrawn(_ number: UInt32, reason: String? = nil, by actor: String = "bob") -> CustomerEvent {
        .note(.withdrawn(NoteWithdrawn(noteId: NoteID(number: number), reason: reason, withdrawnBy: actor, withdrawnAt: Fixture.now)))
    }

    func testANoteIsTrimmedAuthoredByTheActorAndNumberedInOrder() {
        given(Fixture.signedUp, when: .addNote(AddNote(message: "  Called about the invoice \n", author: "alice")), then: [added(1)])
        given(Fixture.signedUp + [added(1), withdrawn(1)], when: .addNote(AddNote(message: "Second", author: "carol")),
              then: [added(2, "Second", by: "carol")])
    }

    func testLineBreaksAndTabsAreKeptAndCRLFBecomesALineFeed() {
        given(Fixture.signedUp, when: .addNote(AddNote(message: "line one\r\nline\ttwo\rthree", author: "alice")),
              then: [added(1, "line one\nline\ttwo\nthree")])
    }

    func testTheMessageMustHaveOneToFiveThousandCharacters() {
        for empty in ["", "   ", "\n\n"] {
            let error = given(Fixture.signedUp, when: .addNote(AddNote(message: empty, author: "a")), thenError: .validationFailed)
            XCTAssertEqual(error?.problems.map(\.message), ["Message is required"])
        }
        given(Fixture.signedUp, when: .addNote(AddNote(message: String(repeating: "é", count: 5_000), author: "a")),
              then: [added(1, String(repeating: "é", count: 5_000), by: "a")])
        let error = given(Fixture.signedUp, when: .addNote(AddNote(message: String(repeating: "x", count: 5_001), author: "a")), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.message), ["Message must be at most 5000 characters (it has 5001)"])
        XCTAssertEqual(error?.problems.map(\.field), ["message"])
    }

    func testOtherControlCharactersAreRefused() {
        let error = given(Fixture.signedUp, when: .addNote(AddNote(message: "ring \u{1B}[31m", author: "a")), thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.message), ["Message must not contain control characters other than line breaks and tabs"])
    }

    func testNotesNeedAnExistingCustomer() {
        given([], when: .addNote(AddNote(message: "x", author: "a")), thenError: .customerNotFound)
        given([], when: .withdrawNote(WithdrawNote(noteId: "N1", actor: "a")), thenError: .customerNotFound)
    }

    func testWithdrawingKeepsWhoWhyAndWhen() {
        given(Fixture.signedUp + [added(1)], when: .withdrawNote(WithdrawNote(noteId: "n1", reason: " wrong customer ", actor: "bob")),
              then: [withdrawn(1, reason: "wrong customer")])
        given(Fixture.signedUp + [added(1)], when: .withdrawNote(WithdrawNote(noteId: "N1", reason: "", actor: "bob")), then: [withdrawn(1)])
        let state = CustomerDecider.replay(Fixture.signedUp + [added(1), added(2, "two"), withdrawn(1, reason: "dup")])
        XCTAssertEqual(state.liveNotes.map(\.id), [NoteID(number: 2)])
        XCTAssertEqual(state.notes.first?.withdrawal?.withdrawnBy, "bob")
        XCTAssertEqual(state.notes.first?.message, "Called about the invoice", "a withdrawn note keeps its text")
    }

    func testAWithdrawnOrUnknownNoteIsRefused() {
        let history = Fixture.signedUp + [added(1), withdrawn(1)]
        let again = given(history, when: .withdrawNote(WithdrawNote(noteId: "N1", actor: "carol")), thenError: .noteAlreadyWithdrawn)
        XCTAssertTrue(again?.message.contains("already withdrawn by bob") == true, "\(String(describing: again))")
        for id in ["N2", "A1", "N0", "x"] {
            let error = given(history, when: .withdrawNote(WithdrawNote(noteId: id, actor: "carol")), thenError: .noteNotFound)
            XCTAssertEqual(error?.problems.map(\.field), ["note-id"])
            XCTAssertTrue(error?.message.contains("the customer has no live note") == true, "\(String(describing: error))")
        }
    }

    func testTheReasonIsOneLineOfAtMost255Characters() {
        let history = Fixture.signedUp + [added(1)]
        let error = given(history, when: .withdrawNote(WithdrawNote(noteId: "N1", reason: String(repeating: "r", count: 256) + "\n", actor: "b")),
                          thenError: .validationFailed)
        XCTAssertEqual(error?.problems.map(\.message), ["Reason must be at most 255 characters"])
        let broken = given(history, when: .withdrawNote(WithdrawNote(noteId: "N1", reason: "a\nb", actor: "b")), thenError: .validationFailed)
        XCTAssertEqual(broken?.problems.map(\.field), ["reason"])
    }

    func testTheDecidedTimeIsTheCommandsStamp() throws {
        let later = Fixture.now + 0.000_000_4
        let events = try CustomerDecider.decide(.addNote(AddNote(message: "x", author: "a")), state: CustomerDecider.replay(Fixture.signedUp),
                                                context: Fixture.context(later))
        guard let event = events.first, case .note(.added(let note)) = event else { return XCTFail("\(events)") }
        XCTAssertEqual(note.addedAt.timeIntervalSince(Fixture.now), 0, accuracy: 0.000_001)
        let stored = try CustomerEvent.decode(typeName: event.typeName, schemaVersion: event.schemaVersion, bytes: event.encodePayload())
        XCTAssertEqual(stored, event, "decided at whole microseconds, so the replayed note equals the decided one")
    }

    func testSummariesNameAuthorAndCutLongMessages() {
        XCTAssertEqual(added(1).summary, "Note N1 added by alice: Called about the invoice")
        XCTAssertEqual(added(2, "first line\nsecond").summary, "Note N2 added by alice: first line…")
        XCTAssertEqual(added(3, String(repeating: "x", count: 61)).summary, "Note N3 added by alice: " + String(repeating: "x", count: 60) + "…")
        XCTAssertEqual(withdrawn(1, reason: "dup").summary, "Note N1 withdrawn by bob: dup")
    }
}
