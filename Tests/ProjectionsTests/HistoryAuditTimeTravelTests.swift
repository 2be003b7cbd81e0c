import CustomerAggregate
import EventStore
import Foundation
import Projections
import XCTest

final class HistoryAuditTimeTravelTests: XCTestCase {
    func testHistoryListsEveryEventOfTheCustomerWithWhatChanged() throws {
        let fixture = try CustomerFixture()
        let other = try fixture.create(CustomerFixture.form("Other", "Person", "other@example.com"))
        fixture.clock.advance(10)
        let id = try fixture.create(CustomerFixture.form("Zoë", "Ørsted", "Zoe@Example.com"), passwordToken: true, actor: "alice")
        try fixture.appendUnrelatedEvents()
        fixture.clock.advance(60)
        try fixture.resendVerification(id, actor: "bob")
        fixture.clock.advance(60)
        try fixture.verify(id, actor: "zoe")
        try fixture.verify(other)

        let entries = try fixture.store.read { try CustomerHistory.entries(of: id, in: $0) }
        XCTAssertEqual(entries.map(\.type), ["CustomerCreated", "VerificationRequested", "PasswordTokenIssued", "VerificationRequested", "EmailVerified"])
        XCTAssertEqual(entries.map(\.version), [1, 2, 3, 4, 5])
        XCTAssertEqual(entries.map(\.actor), ["alice", "alice", "alice", "bob", "zoe"])
        XCTAssertEqual(entries.map(\.position), entries.map(\.position).sorted())
        XCTAssertTrue(entries.allSatisfy { $0.stream == id.streamName })
        XCTAssertEqual(entries[0].summary, "Customer DE--2 created (Unverified): Zoë Ørsted <Zoe@Example.com>")
        XCTAssertTrue(entries[0].changes.contains(FieldChange(field: "status", from: nil, to: "Unverified")))
        XCTAssertTrue(entries[0].changes.contains(FieldChange(field: "email", from: nil, to: "Zoe@Example.com")))
        XCTAssertEqual(entries[4].summary, "Email verified")
        XCTAssertTrue(entries[4].changes.contains(FieldChange(field: "status", from: "Unverified", to: "Verified")))
        XCTAssertEqual(entries[4].changes.first { $0.field == "verifiedAt" }?.to, UTCTime.iso8601(fixture.clock.now))
        XCTAssertTrue(entries[3].summary.contains("re-sent"))
        XCTAssertEqual(entries[3].changes.map(\.field), ["verificationTokenExpiresAt"])
        XCTAssertEqual(entries[0].data.first { $0.name == "reference" }?.value, .string("DE--2"))
        XCTAssertEqual(try fixture.store.read { try CustomerHistory.entries(of: CustomerID(UUID()), in: $0) }, [])
    }

    func testHistoryIncludesTheDeliveryEventsOfTheCustomersEmails() throws {
        let fixture = try CustomerFixture()
        let id = try fixture.create(CustomerFixture.form("Zoë", "Ørsted", "zoe@example.com"))
        let asking = try XCTUnwrap(try fixture.store.readStream(try StreamName(id.streamName)).first { $0.type == "VerificationRequested" })
        let sent = OutboxEvent.sent(EmailSent(
            entryId: asking.eventID, attempt: 1, sentAt: fixture.clock.now, transport: "file",
            messageId: "\(asking.eventID)@customer-es", detail: "/tmp/x.eml"))
        try fixture.store.append(
            [EventData(type: sent.typeName, schemaVersion: sent.schemaVersion, metadata: EventMetadata(actor: "dispatcher"), payload: sent.encodePayload())],
            to: try StreamName(OutboxEvent.streamName(forEntry: asking.eventID)), expectedVersion: .noStream)
        let entries = try fixture.store.read { try CustomerHistory.entries(of: id, in: $0) }
        XCTAssertEqual(entries.map(\.type), ["CustomerCreated", "VerificationRequested", "EmailSent"])
        XCTAssertEqual(entries.last?.actor, "dispatcher")
        XCTAssertEqual(entries.last?.summary, sent.summary)
        XCTAssertEqual(entries.map(\.position), entries.map(\.position).sorted())
    }

    func testAuditReportsStatusChangesWithinTheTimeRangeAndForOneCustomer() throws {
        let fixture = try CustomerFixture()
        let t0 = fixture.clock.now
        let first = try fixture.create(CustomerFixture.form("Ann", "Berg", "ann@example.com"), actor: "alice")
        fixture.clock.advance(100)
        let t1 = fixture.clock.now
        let second = try fixture.create(CustomerFixture.form("Bo", "Ng", "bo@example.com"), actor: "bob")
        try fixture.appendUnrelatedEvents()
        fixture.clock.advance(100)
        let t2 = fixture.clock.now
        try fixture.verify(first, actor: "ann")
        fixture.clock.advance(100)
        let t3 = fixture.clock.now
        let imported = try fixture.importCustomer(
            CustomerFixture.form("Old", "Timer", "old@example.com"), registeredOn: CalendarDate(year: 2019, month: 5, day: 1))
        try fixture.verify(second, actor: "bo")

        let all = try fixture.store.read { try StatusAudit.changes(in: $0) }
        XCTAssertEqual(all.map { "\($0.reference?.description ?? "?") \($0.from?.rawValue ?? "none")→\($0.to.rawValue) \($0.causeType) \($0.actor)" }, [
            "DE--1 none→Unverified CustomerCreated alice",
            "DE--2 none→Unverified CustomerCreated bob",
            "DE--1 Unverified→Verified EmailVerified ann",
            "DE--3 none→Verified CustomerCreated importer",
            "DE--2 Unverified→Verified EmailVerified bo",
        ])
        XCTAssertEqual(all.map(\.recordedAt), [t0, t1, t2, t3, t3].map(UTCTime.roundedToMicroseconds))
        XCTAssertEqual(all[3].customerId, imported)
        XCTAssertEqual(all[3].effectiveAt, CalendarDate(year: 2019, month: 5, day: 1)?.midnightUTC)
        let positions = try fixture.store.read { reader in try reader.readStream(StreamName(first.streamName)).map(\.position) }
        XCTAssertEqual(all[0].causePosition, positions[0])
        XCTAssertEqual(all[2].causePosition, positions.last)

        let between = try fixture.store.read { try StatusAudit.changes(in: $0, since: t1, until: t2) }
        XCTAssertEqual(between.map(\.reference), [CustomerReference(prefix: "DE", number: 2), CustomerReference(prefix: "DE", number: 1)])
        let since = try fixture.store.read { try StatusAudit.changes(in: $0, since: t2.addingTimeInterval(1)) }
        XCTAssertEqual(since.map(\.to), [.verified, .verified])
        XCTAssertEqual(since.last?.reference?.description, "DE--2", "the reference of a customer created before --since comes from its stream")
        let until = try fixture.store.read { try StatusAudit.changes(in: $0, until: t0) }
        XCTAssertEqual(until.count, 1)
        let none = try fixture.store.read { try StatusAudit.changes(in: $0, since: t3.addingTimeInterval(1)) }
        XCTAssertEqual(none, [])

        let one = try fixture.store.read { try StatusAudit.changes(in: $0, customer: second) }
        XCTAssertEqual(one.map(\.from), [nil, .unverified])
        XCTAssertEqual(one.map(\.to), [.unverified, .verified])
        let oneLater = try fixture.store.read { try StatusAudit.changes(in: $0, since: t2, customer: second) }
        XCTAssertEqual(oneLater.map(\.actor), ["bo"])
        let importedOnly = try fixture.store.read { try StatusAudit.changes(in: $0, customer: imported) }
        XCTAssertEqual(importedOnly.map(\.from), [nil])
        XCTAssertEqual(importedOnly.map(\.to), [.verified])
    }

    func testAsOfReplaysTheStreamUpToTheInstant() throws {
        let fixture = try CustomerFixture()
        let before = fixture.clock.now.addingTimeInterval(-1)
        let id = try fixture.create(CustomerFixture.form("Ann", "Berg", "ann@example.com"))
        let created = fixture.clock.now
        fixture.clock.advance(3600)
        let between = fixture.clock.now.addingTimeInterval(-1)
        try fixture.verify(id)
        let verified = fixture.clock.now

        let atBefore = try fixture.store.read { try CustomerTimeTravel.state(of: id, asOf: before, in: $0) }
        XCTAssertNil(atBefore)
        let atCreation = try fixture.store.read { try CustomerTimeTravel.state(of: id, asOf: created, in: $0) }
        XCTAssertEqual(atCreation?.status, .unverified)
        XCTAssertEqual(atCreation?.profile?.email, "ann@example.com")
        let atBetween = try fixture.store.read { try CustomerTimeTravel.state(of: id, asOf: between, in: $0) }
        XCTAssertEqual(atBetween?.status, .unverified)
        XCTAssertNil(atBetween?.verifiedAt)
        let atAfter = try fixture.store.read { try CustomerTimeTravel.state(of: id, asOf: verified.addingTimeInterval(10), in: $0) }
        XCTAssertEqual(atAfter?.status, .verified)
        XCTAssertEqual(atAfter?.verifiedAt, UTCTime.roundedToMicroseconds(verified))
        XCTAssertNil(try fixture.store.read { try CustomerTimeTravel.state(of: CustomerID(UUID()), asOf: verified, in: $0) })
    }
}
