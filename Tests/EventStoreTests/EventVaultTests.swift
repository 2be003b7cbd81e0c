import CompactCodec
@testable import EventStore
import Foundation
import TestSupport
import XCTest

/// The vault: sealed events keep their personal payload beside the log, erasure empties it, the log is never
/// rewritten (but by `sealStoredEvent`, the migration of format-1 events, which keeps every envelope field).
final class EventVaultTests: XCTestCase {
    private var folder: TemporaryDirectory!
    override func setUp() { folder = TemporaryDirectory("vault") }
    override func tearDown() { folder = nil }

    static func seal(_ publicPayload: String) -> PersonalSeal {
        PersonalSeal(publicPayload: Array(publicPayload.utf8), salt: [UInt8](repeating: 7, count: 16), commitment: [UInt8](repeating: 9, count: 32))
    }

    func testASealedEventReadsWholeUntilErasedThenPublicEverywhere() throws {
        let store = try EventStore(directory: folder.url)
        let stream = try StreamName("customer-1")
        var event = sampleEvent("CustomerCreated", payload: "name=Secretzq")
        event.personal = Self.seal("name=")
        try store.append([event, sampleEvent("Other", payload: "plain")], to: stream, expectedVersion: .noStream)

        let whole = try store.readStream(stream)
        XCTAssertEqual(whole[0].payload, Array("name=Secretzq".utf8))
        XCTAssertEqual(whole[0].personalData, .present)
        XCTAssertEqual(whole[0].commitment, [UInt8](repeating: 9, count: 32))
        XCTAssertEqual(whole[1].personalData, .none)
        try store.read { reader in
            try reader.forEachEvent { view in
                if view.position == 1 { XCTAssertEqual(Array(view.payload), Array("name=Secretzq".utf8)) }
                return true
            }
        }

        let erased = try store.write { try $0.erasePersonalData(of: stream) }
        XCTAssertEqual(erased, 1)
        let after = try store.readStream(stream)
        XCTAssertEqual(after[0].payload, Array("name=".utf8))
        XCTAssertEqual(after[0].personalData, .erased)
        XCTAssertEqual(after[0].eventID, whole[0].eventID)
        XCTAssertEqual(after[0].recordedAt, whole[0].recordedAt)
        XCTAssertEqual(after[1].payload, Array("plain".utf8))
        XCTAssertEqual(try store.read { try $0.vaultEntryCount() }, 0)
        XCTAssertEqual(try store.write { try $0.erasePersonalData(of: stream) }, 0, "erasing twice finds nothing")
        try store.read { reader in
            try reader.forEachEvent { view in
                if view.position == 1 {
                    XCTAssertEqual(Array(view.payload), Array("name=".utf8))
                    XCTAssertEqual(view.personalData, .erased)
                }
                return true
            }
        }
    }

    func testSealingAStoredEventKeepsItsIdPositionVersionTimeAndMetadata() throws {
        let store = try EventStore(directory: folder.url)
        let stream = try StreamName("customer-2")
        try store.append([sampleEvent("A", payload: "first"), sampleEvent("B", payload: "who=Secretzq")], to: stream, expectedVersion: .noStream)
        let before = try store.readStream(stream)
        try store.write { try $0.sealStoredEvent(at: 2, seal: Self.seal("who="), payload: Array("who=Secretzq".utf8)) }
        let after = try store.readStream(stream)
        XCTAssertEqual(after[1].eventID, before[1].eventID)
        XCTAssertEqual(after[1].position, before[1].position)
        XCTAssertEqual(after[1].version, before[1].version)
        XCTAssertEqual(after[1].recordedAt, before[1].recordedAt)
        XCTAssertEqual(after[1].metadata, before[1].metadata)
        XCTAssertEqual(after[1].payload, before[1].payload)
        XCTAssertEqual(after[1].personalData, .present)
        XCTAssertThrowsError(try store.write { try $0.sealStoredEvent(at: 2, seal: Self.seal("who="), payload: Array("who=Secretzq".utf8)) },
                             "an event is sealed once")
        XCTAssertThrowsError(try store.write { try $0.sealStoredEvent(at: 1, seal: Self.seal(""), payload: Array("other".utf8)) },
                             "the seal must be made for the stored payload")
    }

    func testAScrubbedCopyHoldsNoByteOfDeletedRecords() throws {
        let store = try EventStore(directory: folder.url)
        let stream = try StreamName("customer-3")
        var event = sampleEvent("CustomerCreated", payload: "name=Scrubzq")
        event.personal = Self.seal("name=")
        try store.append([event], to: stream, expectedVersion: .noStream)
        try store.write { _ = try $0.erasePersonalData(of: stream) }
        let copy = folder.path("copy")
        try store.environment.scrubbedCopy(to: copy)
        let bytes = try Data(contentsOf: copy.appendingPathComponent("data.mdb"))
        XCTAssertNil(bytes.range(of: Data("Scrubzq".utf8)))
        XCTAssertNotNil(bytes.range(of: Data("name=".utf8)), "the public payload is copied")
    }
}
