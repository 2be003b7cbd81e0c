import CustomerAggregate
@testable import CustomerService
import EventStore
import Foundation
import Mail
import Projections
import TestSupport
import XCTest

/// A relay refusal that is about us (sender, HELO name) or about everyone is the relay's configuration: the batch
/// stops and no attempt is counted. The HELO name is a setting; a sender that is not fully qualified is warned of.
final class OutboxRelayConfigurationTests: XCTestCase {
    private var servers: [ScriptedSMTPServer] = []

    override func tearDown() {
        servers.forEach { $0.stop() }
        servers = []
    }

    private func server(_ script: @escaping ScriptedSMTPServer.Script) throws -> ScriptedSMTPServer {
        let server = try ScriptedSMTPServer(script: script)
        servers.append(server)
        return server
    }

    private func dispatch(_ store: OutboxTestStore, port: UInt16) throws -> OutboxDispatchSummary {
        try store.service.outboxDispatcher(.smtp(host: "127.0.0.1", port: port), metadata: store.metadata).dispatchDue()
    }

    func testARefusedSenderReportedAtRCPTStopsTheBatchWithoutBurningAttempts() throws {
        let store = try OutboxTestStore()
        try store.createMany(3)
        // Postfix with reject_non_fqdn_sender and the default smtpd_delay_reject.
        let relay = try server { command, _ in
            command.hasPrefix("RCPT") ? .reply("504 5.5.2 <no-reply@localhost>: Sender address rejected: need fully-qualified address") : nil
        }
        let head = try store.service.store.headPosition()
        let summary = try dispatch(store, port: relay.port)
        XCTAssertEqual(summary.processed, 0)
        let outage = try XCTUnwrap(summary.outage)
        XCTAssertTrue(outage.contains("refused our sender or HELO name at RCPT TO:<customer0@example.com>"), outage)
        XCTAssertTrue(outage.contains("configuration problem"), outage)
        XCTAssertEqual(try store.service.store.headPosition(), head, "nothing recorded")
        XCTAssertEqual(try store.entries().map(\.attempts), [0, 0, 0])
        XCTAssertEqual(relay.commands.filter { $0.hasPrefix("RCPT") }.count, 1, "the batch stopped at once")
    }

    func testARelayThatRefusesEveryRecipientWithTheSameReplyIsAConfigurationProblem() throws {
        let store = try OutboxTestStore()
        try store.createMany(3)
        let relay = try server { command, _ in command.hasPrefix("RCPT") ? .reply("554 5.7.1 Relay access denied") : nil }
        let summary = try dispatch(store, port: relay.port)
        XCTAssertEqual(summary.processed, 0)
        XCTAssertTrue(summary.outage?.contains("refused every recipient of the batch with the same reply (554 5.7.1 Relay access denied)") ?? false,
                      summary.outage ?? "no outage")
        XCTAssertEqual(try store.entries().map(\.attempts), [0, 0, 0])
        XCTAssertEqual(try store.entries().map(\.state), [.pending, .pending, .pending])
    }

    func testRecipientRefusalsStayTheEmailsOwn() throws {
        let store = try OutboxTestStore()
        try store.createMany(3)
        // Two unknown users in a row (the reply names each recipient), then one that is accepted.
        let relay = try server { command, _ in
            guard command.hasPrefix("RCPT"), !command.contains("customer2@") else { return nil }
            let address = command.dropFirst("RCPT TO:".count)
            return .reply("550 5.1.1 \(address): Recipient address rejected: User unknown")
        }
        let summary = try dispatch(store, port: relay.port)
        XCTAssertNil(summary.outage)
        XCTAssertEqual(summary.dead, 2)
        XCTAssertEqual(summary.sent, 1)

        // One refusal that does not name the recipient, then an acceptance: the refusal was that email's.
        let other = try OutboxTestStore()
        try other.createMany(2)
        let picky = try server { command, _ in
            command.hasPrefix("RCPT") && command.contains("customer0@") ? .reply("550 5.7.1 Policy rejection") : nil
        }
        let mixed = try dispatch(other, port: picky.port)
        XCTAssertNil(mixed.outage)
        XCTAssertEqual(mixed.dead, 1)
        XCTAssertEqual(mixed.sent, 1)
        XCTAssertEqual(try other.entries().map(\.deadReason), [.rejected, nil])
    }

    func testTheHeloNameIsASettingThatDefaultsToTheMachinesName() throws {
        let store = try OutboxTestStore()
        try store.create("maria@example.com")
        let relay = try server { _, _ in nil }
        XCTAssertEqual(try dispatch(store, port: relay.port).sent, 1)
        XCTAssertTrue(relay.commands.contains("EHLO \(LocalHostName.fullyQualified)"), "\(relay.commands)")
        XCTAssertFalse(relay.commands.contains("EHLO customer-es.localhost"))

        _ = try store.service.changeSetting("helo-name", to: "Relay-Client.Example.com", metadata: store.metadata)
        try store.create("other@example.com")
        XCTAssertEqual(try dispatch(store, port: relay.port).sent, 1)
        XCTAssertTrue(relay.commands.contains("EHLO relay-client.example.com"), "\(relay.commands)")
    }

    func testASenderThatIsNotFullyQualifiedIsWarnedOf() {
        XCTAssertTrue(StoreSettings.defaults.senderWarning?.contains("no-reply@localhost") ?? false)
        var settings = StoreSettings.defaults
        settings.sender = "Shop <no-reply@shop>"
        XCTAssertTrue(settings.senderWarning?.contains("has no dot") ?? false)
        settings.sender = "Shop <no-reply@shop.example.com>"
        XCTAssertNil(settings.senderWarning)
    }
}
