import CustomerAggregate
import Foundation
import XCTest

/// What erasure may keep of address and note events: no personal value in the blanked payload, and the blanked
/// events still decode and replay (ids, defaults, authors).
final class AddressNotePersonalDataTests: XCTestCase {
    private let personal = ["Zoë", "Ørsted", "ACME", "Hauptstraße 1", "Hinterhaus", "3. OG", "München", "80331", "+49 89 1",
                            "Ring twice", "Called about", "wrong customer", "Berlin"]

    private func texts(of event: CustomerEvent) -> String {
        String(decoding: event.encodePayload(), as: UTF8.self)
    }

    func testBlankedAddressAndNoteEventsHoldNoPersonalValue() throws {
        let events = [CustomerEventCodecTests.addressAdded, CustomerEventCodecTests.addressEdited, CustomerEventCodecTests.noteAdded,
                      CustomerEventCodecTests.noteWithdrawn]
        let everything = events.map(texts).joined()
        for value in personal { XCTAssertTrue(everything.contains(value), "positive control: \(value) is in the full events") }
        for event in events {
            let blanked: CustomerEvent
            switch event {
            case .address(let address): blanked = .address(try XCTUnwrap(address.withoutPersonalData))
            case .note(let note): blanked = .note(try XCTUnwrap(note.withoutPersonalData))
            default: return XCTFail("\(event)")
            }
            let text = texts(of: blanked)
            for value in personal { XCTAssertFalse(text.contains(value), "\(value) left in \(blanked)") }
            XCTAssertEqual(try CustomerEvent.decode(typeName: blanked.typeName, schemaVersion: blanked.schemaVersion, bytes: blanked.encodePayload()), blanked)
            XCTAssertFalse(personal.contains { blanked.erasedSummaryText.contains($0) }, blanked.erasedSummaryText)
        }
        XCTAssertNil(AddressEvent.removed(AddressRemoved(addressId: AddressID(number: 1))).withoutPersonalData)
        XCTAssertNil(NoteEvent.withdrawn(NoteWithdrawn(noteId: NoteID(number: 1), reason: nil, withdrawnBy: "bob", withdrawnAt: Fixture.now)).withoutPersonalData)
    }

    func testTheBlankedStateKeepsIdsDefaultsAndAuthors() {
        let state = CustomerDecider.replay(Fixture.signedUp + [CustomerEventCodecTests.addressAdded, CustomerEventCodecTests.noteAdded])
        let book = state.addressBook.withoutPersonalData
        XCTAssertEqual(book.addresses.map(\.id), [AddressID(number: 1)])
        XCTAssertEqual(book.defaultBilling, AddressID(number: 1))
        XCTAssertEqual(book.addresses.first?.address[.salutation], "Ms")
        XCTAssertEqual(book.addresses.first?.address[.city], "")
        XCTAssertEqual(book.nextID, AddressID(number: 2))
        let notes = state.notes.withoutPersonalData
        XCTAssertEqual(notes.map(\.message), [""])
        XCTAssertEqual(notes.map(\.author), ["alice"])
    }
}

private extension CustomerEvent {
    var erasedSummaryText: String {
        switch self {
        case .address(let event): return event.erasedSummary
        case .note(let event): return event.erasedSummary
        default: return summary
        }
    }
}
