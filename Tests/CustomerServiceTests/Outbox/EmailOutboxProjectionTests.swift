import CompactCodec
import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Mail
import Projections
import TestSupport
import XCTest

/// The outbox as an inline projection of the real log (real LMDB): queued with the event, rebuilt from the log.
final class EmailOutboxProjectionTests: XCTestCase {
    func testCreatingACustomerQueuesBothEmailsInTheSameTransaction() throws {
        let store = try OutboxTestStore()
        let outcome = try store.create("maria@example.com", passwordToken: true)
        let entries = try store.entries()
        XCTAssertEqual(entries.map(\.kind), [.verification, .passwordSet], "request order")
        XCTAssertEqual(Set(entries.map(\.state)), [.pending])
        XCTAssertEqual(Set(entries.map(\.reference)), ["DE--1"])
        XCTAssertEqual(Set(entries.map(\.recipient)), ["maria@example.com"])
        XCTAssertEqual(Set(entries.map(\.queuedAt)), [store.clock.now])

        // The entry ids are the ids of the requesting events, and the checkpoint sits at the head: same commit.
        let stream = try StreamName(try XCTUnwrap(outcome.customerId).streamName)
        let events = try store.service.store.readStream(stream)
        XCTAssertEqual(events.map(\.type), ["CustomerCreated", "VerificationRequested", "PasswordTokenIssued"])
        XCTAssertEqual(entries.map(\.id), [events[1].eventID, events[2].eventID])
        XCTAssertEqual(entries.map(\.queuedPosition), [events[1].position, events[2].position])
        XCTAssertEqual(try store.service.store.checkpoint("email-outbox"), try store.service.store.headPosition())
        XCTAssertEqual(entries[0].messageId, entries[0].id.uuidString.lowercased() + "@customer-es")
    }

    private static let entryTable = TableSpec("outbox.entries")

    /// The keys and values of `outbox.entries` as stored, in key order.
    private static func storedEntries(_ store: OutboxTestStore) throws -> [(key: [UInt8], value: [UInt8])] {
        try store.service.store.read { reader in
            try reader.withCursor(reader.table(entryTable)) { cursor in
                var pairs: [(key: [UInt8], value: [UInt8])] = []
                var positioned = try cursor.first()
                while positioned {
                    pairs.append((Array(cursor.key), Array(cursor.value)))
                    positioned = try cursor.next()
                }
                return pairs
            }
        }
    }

    /// Event ids and customer ids are version-7 UUIDs that grow with each one made, so the outbox's entries (keyed
    /// by the requesting event's id) and the customers' streams are written at the right edge of their tables.
    func testEntryAndCustomerIdsAreTimeOrderedSoTheyAppendToTheirTables() throws {
        let store = try OutboxTestStore()
        var customers: [UUID] = []
        for index in 0..<20 {
            let outcome = try store.create("customer\(index)@example.com", passwordToken: index % 2 == 0)
            customers.append(try XCTUnwrap(outcome.customerId).uuid)
        }
        let ids = try Self.storedEntries(store).map { try XCTUnwrap(UUID(bytes: $0.key)) }
        XCTAssertEqual(ids.count, 30)
        // The table's key order is the order the emails were asked for: each new key was the largest.
        XCTAssertEqual(ids, try store.entries().sorted { $0.queuedPosition < $1.queuedPosition }.map(\.id))
        for id in ids + customers {
            XCTAssertEqual(id.bytes[6] >> 4, 7, "a version-7 UUID: \(id)")
        }
        XCTAssertEqual(customers.map(\.bytes), customers.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Format 2 keeps the entry id in the key only; entries an older build wrote (format 1, the id repeated
    /// first in the value) read the same, and `rebuild --verify` sees no difference in them.
    func testEntriesOfTheOlderFormatReadTheSameAndVerifyClean() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com", passwordToken: true)
        try store.create("ben@example.com")
        _ = try store.dispatcher(store.fileTransport()).dispatchDue(limit: 1)
        let entries = try store.entries()
        XCTAssertEqual(entries.count, 3)
        let table = Self.entryTable
        let stored = try Self.storedEntries(store)
        for (key, value) in stored {
            XCTAssertEqual(value.first, 2, "format 2")
            XCTAssertNotEqual(Array(value.dropFirst().prefix(16)), key, "the id is not repeated")
        }

        // What the older build wrote: format 1, the id, then the same fields.
        try store.service.store.write { writer in
            for (key, value) in stored { try writer.put(writer.table(table), key, [1] + key + value.dropFirst()) }
        }
        XCTAssertEqual(try store.entries(), entries)
        let verified = try store.service.verifyProjections()
        XCTAssertTrue(verified.isConsistent, "\(verified.differences)")

        // Positive control: a value that decodes to another entry is a difference.
        try store.service.store.write { writer in
            try writer.put(writer.table(table), stored[1].0, stored[0].1)
        }
        let altered = try store.service.verifyProjections()
        XCTAssertEqual(altered.differenceCount, 1)
        XCTAssertEqual(altered.differences.first?.table, "outbox.entries")
    }

    func testEveryTokenRequestQueuesOneEmail() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        _ = try store.service.resendVerification(to: "DE--1", metadata: store.metadata)
        _ = try store.service.sendPasswordToken(to: "maria@example.com", metadata: store.metadata)
        XCTAssertEqual(try store.entries().map(\.kind), [.verification, .verification, .passwordSet])
        XCTAssertEqual(try store.entries("pending").count, 3)
        XCTAssertEqual(try store.entries("sent").count, 0)
        let waiting = try store.service.store.read { try store.service.outbox.waiting(in: $0) }
        XCTAssertEqual(waiting.count, 3)
        XCTAssertEqual(waiting.earliestDueAt, store.clock.now)
    }

    /// Sent, failed, dead (not sent and rejected) and pending entries: replaying the log into empty tables
    /// reproduces the live outbox byte for byte.
    func testReplayingTheLogIntoFreshTablesReproducesTheOutboxExactly() throws {
        let store = try OutboxTestStore()
        let rejecting = try ScriptedSMTPServer(dataReply: { _ in "550 5.1.1 no such user" })
        defer { rejecting.stop() }
        try store.create("sent@example.com", passwordToken: true)
        _ = try store.dispatcher(store.fileTransport()).dispatchDue()
        try store.create("rejected@example.com")
        _ = try store.dispatcher(SMTPTransport(port: rejecting.port, timeout: 5)).dispatchDue()
        try store.create("failed@example.com")
        _ = try store.dispatcher(SMTPTransport(port: try TestSockets.freePort(), timeout: 5)).dispatchDue()
        try store.create("expired@example.com")
        store.clock.advance(by: 8 * 86_400)
        _ = try store.dispatcher(store.fileTransport()).dispatchDue(limit: 1)
        try store.create("pending@example.com", passwordToken: true)

        let live = try store.entries()
        XCTAssertEqual(live.map(\.state.name), ["sent", "sent", "dead", "failed", "dead", "pending", "pending"],
                       live.map { "\($0.recipient) \($0.state) \($0.lastError ?? "")" }.joined(separator: "\n"))

        // The shadow tables are declared with the store (every table is opened at start-up).
        let shadow = EmailOutbox(tableSuffix: ProjectionCatalog.shadowSuffix)
        let shadowStore = try EventStore(directory: store.storeURL, projections: [shadow])
        try outboxReplay(shadow, store: shadowStore)
        let liveTables = EmailOutbox().withTableSuffix("").tables.map(\.name)
        try store.service.store.read { reader in
            XCTAssertEqual(try shadow.allEntries(in: reader), live)
            for (liveTable, shadowTable) in zip(liveTables, shadow.tables.map(\.name)) {
                XCTAssertEqual(try outboxTableContents(shadowTable, in: reader), try outboxTableContents(liveTable, in: reader), liveTable)
            }
            XCTAssertEqual(try reader.checkpoint(shadow.name), try reader.checkpoint("email-outbox"))
        }
    }

    /// The rebuild guarantee end to end: wipe the live outbox, re-apply it from the log, dispatch again — the sent
    /// emails are not sent again and the pending ones are not lost.
    func testWipingAndReapplyingTheOutboxNeitherResendsNorDropsEmails() throws {
        let store = try OutboxTestStore()
        try store.create("first@example.com", passwordToken: true)
        let firstRun = try store.dispatcher(store.fileTransport("run1")).dispatchDue()
        XCTAssertEqual(firstRun.sent, 2)
        try store.create("second@example.com")
        try store.create("third@example.com")
        let before = try store.entries()

        try outboxReplay(EmailOutbox(), store: store.service.store)
        XCTAssertEqual(try store.entries(), before)

        let secondRun = try store.dispatcher(store.fileTransport("run2")).dispatchDue()
        XCTAssertEqual(secondRun.sent, 2)
        let resent = Set(store.files(in: "run2").eml)
        XCTAssertEqual(resent, Set(before.filter { $0.state == .pending }.map { $0.messageId + ".eml" }))
        XCTAssertTrue(resent.isDisjoint(with: store.files(in: "run1").eml), "nothing sent twice")
        XCTAssertEqual(try store.entries("sent").count, 4)
    }

    /// What the rebuilder relies on: a shadow copy keeps the name and lists its tables in the same order, and the
    /// zero-copy filter lets through exactly the events `apply` acts on.
    func testShadowCopiesAndTheRebuildFilter() throws {
        let shadow = EmailOutbox().withTableSuffix(".shadow")
        XCTAssertEqual(shadow.name, "email-outbox")
        XCTAssertEqual(shadow.tables.map(\.name), EmailOutbox().withTableSuffix("").tables.map { $0.name + ".shadow" })
        XCTAssertEqual(EmailOutbox(tableSuffix: ".x").tables.map(\.name), ["outbox.entries.x", "outbox.due.x", "outbox.customers.x", "outbox.states.x"])

        let store = try OutboxTestStore()
        try store.create("maria@example.com", passwordToken: true)
        _ = try store.service.changeSetting("base-url", to: "https://shop.example.com", metadata: store.metadata)
        _ = try store.dispatcher(store.fileTransport()).dispatchDue()
        try store.create("failed@example.com")
        _ = try store.dispatcher(SMTPTransport(port: try TestSockets.freePort(), timeout: 2)).dispatchDue()
        try store.create("expired@example.com")
        store.clock.advance(by: 8 * 86_400)
        _ = try store.dispatcher(store.fileTransport()).dispatchDue()
        _ = try store.service.changeSetting("delivery-max-attempts", to: "1", metadata: store.metadata)
        try store.create("requeued@example.com")
        _ = try store.dispatcher(SMTPTransport(port: try TestSockets.freePort(), timeout: 2)).dispatchDue()
        _ = try store.service.retryDeadEmails(.allGivenUp, metadata: store.metadata)
        // Sign-in bookkeeping, edits, addresses and notes ask for no email; a PasswordSet does (the "password
        // changed" notice).
        let ignored = ([CustomerEvent.emailVerifiedTypeName, CustomerEvent.passwordRehashedTypeName, CustomerEvent.signInSucceededTypeName,
                        CustomerEvent.signInFailedTypeName, CustomerEvent.accountLockedTypeName, CustomerEvent.editedTypeName]
                       + AddressEvent.types + NoteEvent.types).map(\.rawValue)
        // An email change asks for two emails, a change at once for the notice; a confirmation for none.
        try store.create("changing@example.com")
        _ = try store.service.changeEmail("changing@example.com", to: "changed@example.com", withoutVerification: false, reason: nil, metadata: store.metadata)
        let link = try XCTUnwrap(store.service.customer("changing@example.com").1.emailChange)
        _ = try store.service.verifyEmail(token: store.service.token(for: link.token.id, purpose: .emailChange), metadata: store.metadata)
        _ = try store.service.changeEmail("changed@example.com", to: "fixed@example.com", withoutVerification: true, reason: "typo", metadata: store.metadata)
        let acted = CustomerEvent.typeNames.subtracting(ignored).union(OutboxEvent.typeNames)
        var seen: [String] = []
        try store.service.store.read { reader in
            try reader.forEachEvent { view in
                XCTAssertEqual(EmailOutbox().isInterested(in: view), acted.contains(view.type), view.type)
                seen.append(view.type)
                return true
            }
        }
        XCTAssertEqual(Set(seen), acted.union(["SettingChanged", "EmailVerified"]).subtracting([CustomerEvent.passwordSetTypeName.rawValue, CustomerEvent.forgottenTypeName.rawValue]))
    }
}
