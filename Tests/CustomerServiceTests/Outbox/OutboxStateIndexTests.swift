import CompactCodec
import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Projections
import TestSupport
import XCTest

/// `outbox.states`, the emails of each state in queue order (what the Outbox page filtered by state reads): it
/// holds exactly one key per entry, under the entry's current state, through every change of state; a rebuild
/// writes the same bytes; a table set written before the index existed is read by walking the log until its
/// first write builds the index.
final class OutboxStateIndexTests: XCTestCase {
    static let stateTable = TableSpec("outbox.states")
    static let codes: [String: UInt8] = ["pending": 1, "failed": 2, "sent": 3, "dead": 4]

    /// The keys of `outbox.states` as stored, in key order.
    static func storedKeys(_ store: OutboxTestStore) throws -> [[UInt8]] {
        try store.service.store.read { reader in
            try reader.withCursor(reader.table(stateTable)) { cursor in
                var keys: [[UInt8]] = []
                var positioned = try cursor.first()
                while positioned {
                    keys.append(Array(cursor.key))
                    positioned = try cursor.next()
                }
                return keys
            }
        }
    }

    /// What a store written by a build before the index looks like: no key in `outbox.states`.
    static func dropStateIndex(_ store: OutboxTestStore) throws {
        try store.service.store.write { writer in try writer.removeAll(writer.table(stateTable)) }
    }

    /// The keys the entries call for: the built mark, then state ‖ position ‖ id of each entry, in key order.
    private func expectedKeys(_ store: OutboxTestStore) throws -> [[UInt8]] {
        let keys = try store.entries().map { entry -> [UInt8] in
            var key: [UInt8] = [try XCTUnwrap(Self.codes[entry.state.name])]
            appendBigEndian(entry.queuedPosition, to: &key)
            return key + entry.id.bytes
        }
        return [[0]] + keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    private func storeInSeveralStates() throws -> OutboxTestStore {
        let store = try OutboxTestStore()
        try store.createMany(3, passwordToken: true)
        _ = try store.dispatcher(store.fileTransport()).dispatchDue(limit: 4)
        try store.create("erased@example.com", passwordToken: true)
        _ = try store.service.forget("erased@example.com", reason: "asked by letter", metadata: store.metadata, then: .leavePending)
        _ = try store.service.changeEmail("DE--2", to: "moved@example.com", withoutVerification: false, reason: nil, metadata: store.metadata)
        try store.create("late@example.com")
        return store
    }

    func testTheIndexHoldsEveryEntryUnderItsCurrentStateAndARebuildWritesTheSameBytes() throws {
        let store = try storeInSeveralStates()
        XCTAssertEqual(Set(try store.entries().map(\.state.name)), ["pending", "sent", "dead"])
        XCTAssertEqual(try Self.storedKeys(store), try expectedKeys(store))

        let verified = try store.service.verifyProjections()
        XCTAssertTrue(verified.isConsistent, "\(verified.differences)")
        _ = try store.service.rebuildProjections()
        let rebuilt = try store.service.store.read { reader in
            try store.service.outbox.live(in: reader).newestFirst(in: reader, state: "dead", limit: 50).entries
        }
        XCTAssertEqual(rebuilt.map(\.id), try store.entries("dead").sorted { $0.queuedPosition > $1.queuedPosition }.map(\.id))

        // Positive control: a key missing from the index is a difference of outbox.states.
        _ = try store.service.rebuildProjections()  // back to the primary set, which the test reads raw
        let keys = try Self.storedKeys(store)
        XCTAssertEqual(keys, try expectedKeys(store))
        try store.service.store.write { writer in _ = try writer.delete(writer.table(Self.stateTable), keys[1]) }
        let altered = try store.service.verifyProjections()
        XCTAssertEqual(altered.differences.map(\.table), ["outbox.states"])
    }

    /// `outbox list --status`: the same entries in the same order (oldest request first) from the index as from a
    /// scan of every entry, for every state, with the index built and without it.
    func testAListOfOneStateComesFromTheIndexAsFromAScan() throws {
        let store = try storeInSeveralStates()
        func scanned(_ state: String) throws -> [OutboxEntry] {
            try store.entries().filter { $0.state.name == state }.sorted { ($0.queuedPosition, $0.id.uuidString) < ($1.queuedPosition, $1.id.uuidString) }
        }
        var seen = 0
        for state in Self.codes.keys {
            let listed = try store.service.outboxEntries(state: state)
            XCTAssertEqual(listed.map(\.id), try scanned(state).map(\.id), state)
            XCTAssertEqual(listed.map(\.queuedPosition), listed.map(\.queuedPosition).sorted(), "\(state): oldest request first")
            seen += listed.count
        }
        XCTAssertEqual(seen, try store.entries().count, "every entry under one state")
        XCTAssertEqual(try store.service.outboxEntries(state: "lost"), [])
        try Self.dropStateIndex(store)
        for state in Self.codes.keys {
            XCTAssertEqual(Set(try store.service.outboxEntries(state: state).map(\.id)), Set(try scanned(state).map(\.id)), "\(state), no index")
        }
    }

    func testATableSetWithoutTheIndexIsReadFromTheLogAndItsFirstWriteBuildsTheIndex() throws {
        let store = try storeInSeveralStates()
        let expected = try expectedKeys(store)
        try Self.dropStateIndex(store)
        XCTAssertEqual(try Self.storedKeys(store), [])
        let pendingNewestFirst = try store.entries("pending").sorted { $0.queuedPosition > $1.queuedPosition }.map(\.queuedPosition)
        let walked = try store.service.outboxPage(OutboxPageQuery(state: "pending", limit: 1_000))
        XCTAssertEqual(walked.items.map(\.queuedPosition), pendingNewestFirst, "read by walking the log")
        let unwritten = try store.service.verifyProjections()
        XCTAssertTrue(unwritten.isConsistent, "an index not built yet is no difference: \(unwritten.differences)")

        // The next write that queues or changes an email builds the index of every entry, then adds its own.
        try store.create("next@example.com")
        let built = try Self.storedKeys(store)
        XCTAssertEqual(built.count, expected.count + 1)
        XCTAssertEqual(Set(expected).subtracting(built), [], "every earlier entry is in the index")
        XCTAssertEqual(built, try expectedKeys(store))
        let indexed = try store.service.outboxPage(OutboxPageQuery(state: "pending", limit: 1_000))
        XCTAssertEqual(indexed.items.count, walked.items.count + 1)
        let verified = try store.service.verifyProjections()
        XCTAssertTrue(verified.isConsistent, "\(verified.differences)")
    }

    func testAStateChangeMovesTheEntrysKeyAndAnUnknownStateHasNoEmails() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        let entry = try XCTUnwrap(try store.entries().first)
        XCTAssertEqual(try Self.storedKeys(store).map(\.first), [0, 1])
        _ = try store.dispatcher(store.fileTransport()).dispatchDue()
        XCTAssertEqual(try store.entry(entry.id)?.state.name, "sent")
        XCTAssertEqual(try Self.storedKeys(store).map(\.first), [0, 3], "one key, under the new state")
        XCTAssertEqual(try store.service.outboxPage(OutboxPageQuery(state: "pending")).items, [])
        XCTAssertEqual(try store.service.outboxPage(OutboxPageQuery(state: "sent")).items.map(\.id), [entry.id])
        let unknown = try store.service.store.read { try store.service.outbox.newestFirst(in: $0, state: "lost", limit: 10) }
        XCTAssertEqual(unknown.entries, [])
        XCTAssertNil(unknown.continueBelow)
    }
}
