import CustomerAggregate
import EventStore
import Foundation
import Projections
import XCTest

/// An event a reader cannot decode (here: a type a newer build would write into a customer's stream) is an error
/// that names its position, never an event silently left out of what is shown.
final class UndecodableEventTests: XCTestCase {
    private func fixtureWithForeignEvent() throws -> (CustomerFixture, CustomerID, UInt64) {
        let fixture = try CustomerFixture()
        let id = try fixture.create(CustomerFixture.form("Zoë", "Ørsted", "zoe@example.com"))
        let result = try fixture.store.append(
            [EventData(type: "CustomerRenamed", schemaVersion: 1, metadata: EventMetadata(actor: "newer"), payload: [1, 2])],
            to: try StreamName(id.streamName), expectedVersion: .any)
        return (fixture, id, result.lastPosition)
    }

    func testHistoryRefusesAnEventItCannotDecodeAndNamesItsPosition() throws {
        let (fixture, id, position) = try fixtureWithForeignEvent()
        XCTAssertThrowsError(try fixture.store.read { try CustomerHistory.entries(of: id, in: $0) }) { error in
            XCTAssertEqual((error as? ProjectionError).flatMap(Self.position), position, "\(error)")
            XCTAssertTrue("\(error)".contains("CustomerRenamed at position \(position)"), "\(error)")
        }
    }

    func testTimeTravelRefusesAnEventItCannotDecode() throws {
        let (fixture, id, position) = try fixtureWithForeignEvent()
        XCTAssertThrowsError(try fixture.store.read { try CustomerTimeTravel.state(of: id, asOf: .distantFuture, in: $0) }) { error in
            XCTAssertEqual((error as? ProjectionError).flatMap(Self.position), position, "\(error)")
        }
    }

    func testEveryFamilyDecodesThroughOneEntryPointWithTheSameError() throws {
        let fixture = try CustomerFixture()
        try fixture.create(CustomerFixture.form("Zoë", "Ørsted", "zoe@example.com"))
        let appended = try fixture.store.append(
            [EventData(type: "SettingChanged", schemaVersion: 9, metadata: EventMetadata(actor: "newer"), payload: [])],
            to: try StreamName("settings"), expectedVersion: .any)
        let event = try XCTUnwrap(try fixture.store.readStream(try StreamName("settings")).last)
        for decode in [{ _ = try SettingChanged.decode(event) }, { _ = try CustomerEvent.decode(event) }, { _ = try OutboxEvent.decode(event) }] {
            XCTAssertThrowsError(try decode()) { error in
                XCTAssertEqual((error as? ProjectionError).flatMap(Self.position), appended.lastPosition, "\(error)")
            }
        }
    }

    private static func position(_ error: ProjectionError) -> UInt64? {
        guard case .undecodableEvent(let position, _, _) = error else { return nil }
        return position
    }
}
