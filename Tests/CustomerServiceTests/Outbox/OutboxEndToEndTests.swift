@testable import CustomerService
import CustomerAggregate
import Foundation
import TestSupport
import XCTest

/// The outbox through the built `customer-es` binary: real processes, a real store, real SMTP servers.
final class OutboxEndToEndTests: XCTestCase {
    // MARK: The seed flow through real delivery

    /// Create with the password-token flag → two emails arrive at a real SMTP server → the verification link's
    /// token verifies the customer → status Verified.
    func testSeedFlowThroughARealSMTPServer() throws {
        let cli = OutboxCLI()
        let server = try AiosmtpdServer.start(in: cli.folder.path("smtp"))
        defer { server.stop() }

        let created = try cli.run(["create", "--email", "maria@example.com", "--salutation", "Ms", "--first-name", "Maria",
                                   "--last-name", "Williams", "--send-password-token"])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("Reference: DE--1"), created.stdout)
        let listed = try cli.run(["outbox", "list"])
        XCTAssertEqual(listed.stdout.split(separator: "\n").filter { $0.contains("  pending  ") }.count, 2, listed.stdout)
        XCTAssertTrue(listed.stdout.hasSuffix("2 emails: 2 pending\n"), listed.stdout)

        let dispatched = try cli.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "\(server.port)"])
        XCTAssertEqual(dispatched.status, 0, dispatched.stderr)
        XCTAssertTrue(dispatched.stdout.contains("Dispatched 2 emails (SMTP relay 127.0.0.1:\(server.port)): 2 sent, 0 failed, 0 dead."), dispatched.stdout)
        XCTAssertEqual(dispatched.stdout.split(separator: "\n").filter { $0.hasPrefix("sent    DE--1 ") }.count, 2, dispatched.stdout)

        let messages = try server.storedMessages().map(ParsedMessage.init)
        XCTAssertEqual(messages.count, 2)
        let verification = try XCTUnwrap(messages.first { $0.decodedHeader("Subject") == "Thank you for signing up!" })
        let password = try XCTUnwrap(messages.first { $0.decodedHeader("Subject") == "Set your password" })
        for message in [verification, password] {
            XCTAssertEqual(message.decodedHeader("To"), "Maria Williams <maria@example.com>")
            XCTAssertEqual(message.header("X-RcptTo"), "maria@example.com")
            XCTAssertEqual(message.header("From"), "Shop <no-reply@localhost>")
            XCTAssertTrue(message.header("Message-ID")?.hasSuffix("@customer-es>") == true)
            XCTAssertTrue(message.decodedBody.hasPrefix("Hello Maria Williams,"), message.decodedBody)
        }
        // 8-bit by default: an ASCII body needs no transfer encoding, so the message literally holds the link.
        XCTAssertEqual(verification.header("Content-Transfer-Encoding"), "7bit")
        XCTAssertNotNil(password.token(inLinkStarting: "http://localhost:8080/password/restore?token="))
        let token = try XCTUnwrap(verification.token(inLinkStarting: "http://localhost:8080/register/confirm?token="))
        XCTAssertTrue(verification.decodedBody.contains("?token=\(token)&_locale=en_US\n"))

        let verified = try cli.run(["verify-email", "--token", token])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        let shown = try cli.run(["show", "DE--1", "--json"])
        XCTAssertTrue(shown.stdout.contains("\"status\":\"Verified\""), shown.stdout)

        let list = try cli.json(["outbox", "list", "--json"])
        let items = try XCTUnwrap(list["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["state"] as? String }, ["sent", "sent"])
        XCTAssertEqual(items.map { $0["transport"] as? String }, ["smtp", "smtp"])
        XCTAssertEqual(Set(items.compactMap { $0["messageId"] as? String }.map { "<\($0)>" }), Set(messages.compactMap { $0.header("Message-ID") }))
        let again = try cli.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "\(server.port)"])
        XCTAssertEqual(again.stdout, "No emails were due.\n")
        XCTAssertEqual(try server.storedMessages().count, 2)
    }

    // MARK: File transport

    func testTheFileTransportIsTheDefaultAndWritesIntoTheStore() throws {
        let cli = OutboxCLI()
        try cli.create("zoe@example.com", ["--first-name", "Zoë", "--last-name", "Ørsted", "--locale", "de_DE"])
        let dispatched = try cli.run(["outbox", "dispatch"])
        XCTAssertEqual(dispatched.status, 0, dispatched.stderr)
        let mail = cli.store.appendingPathComponent("mail")
        let names = try FileManager.default.contentsOfDirectory(atPath: mail.path)
        XCTAssertEqual(names.count, 1)
        XCTAssertTrue(names[0].hasSuffix("@customer-es.eml"), names[0])
        let message = ParsedMessage(Array(try Data(contentsOf: mail.appendingPathComponent(names[0]))))
        XCTAssertEqual(message.decodedHeader("Subject"), "Vielen Dank für deine Anmeldung!")
        XCTAssertEqual(message.decodedHeader("To"), "Zoë Ørsted <zoe@example.com>")
        XCTAssertTrue(message.decodedBody.contains("&_locale=de_DE\n"))

        try cli.create("max@example.com")
        let elsewhere = cli.folder.path("elsewhere")
        let second = try cli.run(["outbox", "dispatch", "--dir", elsewhere.path, "--json"])
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any], second.stdout)
        XCTAssertEqual(summary["sent"] as? Int, 1)
        XCTAssertEqual((summary["emails"] as? [[String: Any]])?.first?["outcome"] as? String, "sent")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).count, 1)
    }

    // MARK: Failures, backoff and dead letters

    func testARelayThatIsDownLeavesEmailsFailedAndTheCommandStillSucceeds() throws {
        let cli = OutboxCLI()
        try cli.create("maria@example.com", flags: ["--send-password-token"])
        let port = try TestSockets.freePort()
        let dispatched = try cli.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "\(port)"])
        XCTAssertEqual(dispatched.status, 0, "the command worked; the deliveries did not: \(dispatched.stderr)")
        XCTAssertTrue(dispatched.stdout.contains("0 sent, 2 failed, 0 dead"), dispatched.stdout)
        XCTAssertTrue(dispatched.stdout.contains("attempt 1; next attempt at "), dispatched.stdout)
        XCTAssertTrue(dispatched.stdout.contains("refused the connection"), dispatched.stdout)
        XCTAssertTrue(dispatched.stdout.contains("2 emails still waiting; the next is due at "), dispatched.stdout)

        let failed = try cli.json(["outbox", "list", "--status", "failed", "--json"])
        let items = try XCTUnwrap(failed["items"] as? [[String: Any]])
        XCTAssertEqual(items.count, 2)
        for item in items {
            XCTAssertEqual(item["attempts"] as? Int, 1)
            XCTAssertNotNil(item["nextAttemptAt"] as? String)
            XCTAssertTrue((item["lastError"] as? String)?.contains("127.0.0.1:\(port)") == true)
        }
        XCTAssertEqual(try cli.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "\(port)"]).stdout.hasPrefix("No emails were due."), true,
                       "a failed email waits for its next attempt")
        let table = try cli.run(["outbox", "list", "--status", "failed"]).stdout
        XCTAssertTrue(table.hasPrefix("ID  "), table)
        XCTAssertTrue(table.contains("NEXT ATTEMPT"), table)
        XCTAssertTrue(table.hasSuffix("2 emails: 2 failed\n"), table)
    }

    func testFourXXRetriesLaterAndFiveXXIsDeadAtOnce() throws {
        let cli = OutboxCLI()
        let busy = try ScriptedSMTPServer(dataReply: { _ in "452 4.2.2 mailbox full" })
        defer { busy.stop() }
        let rejecting = try ScriptedSMTPServer(dataReply: { _ in "554 5.7.1 relay denied" })
        defer { rejecting.stop() }
        try cli.create("full@example.com")
        let first = try cli.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "\(busy.port)"])
        XCTAssertTrue(first.stdout.contains("failed  DE--1 verification email to full@example.com, attempt 1; next attempt at"), first.stdout)
        try cli.create("denied@example.com")
        let second = try cli.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "\(rejecting.port)"])
        XCTAssertEqual(second.status, 0)
        XCTAssertTrue(second.stdout.contains("dead    DE--2 verification email to denied@example.com after 1 attempt: "), second.stdout)
        XCTAssertTrue(second.stdout.contains("554 5.7.1 relay denied"), second.stdout)
        XCTAssertEqual(rejecting.messages.count, 1, "DE--1 is not due yet")
        let dead = try cli.json(["outbox", "list", "--status", "dead", "--json"])
        let item = try XCTUnwrap((dead["items"] as? [[String: Any]])?.first)
        XCTAssertEqual(item["reference"] as? String, "DE--2")
        XCTAssertEqual(item["deadReason"] as? String, "rejected")
    }

    func testAnExpiredTokenIsNotSentAndTheReasonSaysWhatToDo() throws {
        let cli = OutboxCLI()
        try cli.create("first@example.com")  // creates the store, so that the setting can be changed
        XCTAssertEqual(try cli.run(["settings", "verification-token-ttl", "1s"]).status, 0)
        try cli.create("maria@example.com", flags: ["--send-password-token"])
        usleep(1_200_000)
        let dispatched = try cli.run(["outbox", "dispatch"])
        XCTAssertEqual(dispatched.status, 0, dispatched.stderr)
        XCTAssertTrue(dispatched.stdout.contains(
            "dead    DE--2 verification email to maria@example.com: token expired before dispatch; request a new one with `customer-es resend-verification DE--2`"),
            dispatched.stdout)
        XCTAssertTrue(dispatched.stdout.contains("sent    DE--2 password-set email"), dispatched.stdout)
        XCTAssertTrue(dispatched.stdout.contains("2 sent, 0 failed, 1 dead (1 not sent on purpose)"), dispatched.stdout)
        let dead = try cli.json(["outbox", "list", "--status", "dead", "--json"])
        let items = try XCTUnwrap(dead["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["deadReason"] as? String }, ["token-expired"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cli.store.appendingPathComponent("mail").path).count, 2)
    }

    // MARK: Concurrency and the long-running worker

    func testTwoDispatcherProcessesOnOneStoreSendEachEmailExactlyOnce() throws {
        let cli = OutboxCLI()
        let server = try AiosmtpdServer.start(in: cli.folder.path("smtp"))
        defer { server.stop() }
        do {
            // 150 customers with both emails: 300 emails, three claim batches, so the two workers interleave.
            let service = try CustomerService(directory: cli.store)
            let forms = (0..<150).map {
                (form: CustomerForm(email: "c\($0)@example.com", salutation: "Mr", firstName: "Max", lastName: "M\($0)"), sendPasswordToken: true)
            }
            for result in try service.createMany(forms, metadata: CommandMetadata(actor: "test")) { _ = try result.get() }
        }
        let outputs = OutboxOutputs()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let output = try? cli.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "\(server.port)"], timeout: 60)
            outputs.set(index, output)
        }
        let results = outputs.all
        XCTAssertEqual(results.count, 2)
        var sentLines = 0
        for output in results {
            XCTAssertEqual(output.status, 0, output.stderr)
            sentLines += output.stdout.split(separator: "\n").filter { $0.hasPrefix("sent ") }.count
        }
        XCTAssertEqual(sentLines, 300, results.map(\.stdout).joined(separator: "\n---\n"))
        let ids = try server.storedMessages().map(ParsedMessage.init).compactMap { $0.header("Message-ID") }
        XCTAssertEqual(ids.count, 300)
        XCTAssertEqual(Set(ids).count, 300, "no email was sent twice")
        let list = try cli.json(["outbox", "list", "--status", "sent", "--json"])
        XCTAssertEqual(list["total"] as? Int, 300)
    }

    func testWatchDeliversNewEmailsAndStopsCleanlyOnSIGTERM() throws {
        let cli = OutboxCLI()
        try cli.create("first@example.com")
        let mail = cli.folder.path("watched")
        let worker = try RunningProcess(outboxCustomerES, ["--store", cli.store.path, "outbox", "dispatch", "--watch", "--dir", mail.path])
        defer { if worker.process.isRunning { worker.kill9() } }
        XCTAssertTrue(waitUntil { emlCount(mail) == 1 }, "the waiting email goes out at once")
        try cli.create("second@example.com", flags: ["--send-password-token"])
        XCTAssertTrue(waitUntil { emlCount(mail) == 3 }, "new emails go out while it runs")
        kill(worker.process.processIdentifier, SIGTERM)
        XCTAssertEqual(worker.waitForExit(timeout: 10), 0)
        let lines = worker.lines
        XCTAssertEqual(lines.filter { $0.hasPrefix("sent    ") }.count, 3, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("Dispatched 3 emails (file transport into \(mail.path)): 3 sent, 0 failed, 0 dead."), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("Stopped on request; the other emails stay queued."), lines.joined(separator: "\n"))
        XCTAssertEqual(try cli.json(["outbox", "list", "--status", "sent", "--json"])["total"] as? Int, 3)
    }

    // MARK: Command line

    func testInvalidOptionsAreUsageErrorsAndAMissingStoreIsReported() throws {
        let cli = OutboxCLI()
        let missing = try cli.run(["outbox", "list"])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stderr.contains("no store at"), missing.stderr)
        XCTAssertEqual(try cli.run(["outbox", "dispatch"]).status, 3, "nothing to dispatch in a store that does not exist")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.store.path), "and it was not created")
        try cli.create("maria@example.com")
        for arguments in [
            ["outbox", "list", "--status", "queued"],
            ["outbox", "dispatch", "--transport", "carrier-pigeon"],
            ["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "70000"],
            ["outbox", "dispatch", "--transport", "smtp", "--smtp-port", "x"],
            ["outbox", "dispatch", "--transport", "smtp", "--dir", "/tmp"],
            ["outbox", "dispatch", "--smtp-host", "localhost"],
            ["outbox", "dispatch", "--limit", "0"],
            ["outbox", "dispatch", "--bogus"],
        ] {
            let output = try cli.run(arguments)
            XCTAssertEqual(output.status, 2, "\(arguments): \(output.stderr)")
            XCTAssertTrue(output.stderr.contains("Usage: customer-es [--store DIR] outbox "), output.stderr)
        }
        let json = try cli.run(["outbox", "list", "--status", "queued", "--json"])
        XCTAssertTrue(json.stderr.contains("\"code\":\"usage\""), json.stderr)
        XCTAssertEqual(try cli.json(["outbox", "list", "--json"])["total"] as? Int, 1, "nothing was dispatched by a rejected command")
        let help = try cli.run(["--help"])
        XCTAssertTrue(help.stdout.contains("outbox list"))
        XCTAssertTrue(help.stdout.contains("outbox dispatch"))
    }

    func testANameWithALineBreakIsRejectedAtCreationSoNoEmailIsQueued() throws {
        let cli = OutboxCLI()
        try cli.create("maria@example.com")
        let injected = try cli.run(["create", "--email", "eve@example.com", "--salutation", "Ms",
                                    "--first-name", "Eve\r\nBcc: all@example.com", "--last-name", "X"])
        XCTAssertEqual(injected.status, 1)
        XCTAssertTrue(injected.stderr.contains("first-name"), injected.stderr)
        XCTAssertEqual(try cli.json(["outbox", "list", "--json"])["total"] as? Int, 1)
    }

    // MARK: Helpers

    private func waitUntil(_ timeout: TimeInterval = 15, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    private func emlCount(_ folder: URL) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.count
    }
}

let outboxCustomerES = builtProduct("customer-es")

/// A temporary store driven through the binary.
final class OutboxCLI: @unchecked Sendable {
    let folder = TemporaryDirectory("outbox-cli")
    var store: URL { folder.path("store") }

    func run(_ arguments: [String], timeout: TimeInterval = 30) throws -> ProcessOutput {
        try runProcess(outboxCustomerES, ["--store", store.path] + arguments, timeout: timeout)
    }

    func create(_ email: String, _ options: [String] = [], flags: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        var arguments = ["create", "--email", email, "--salutation", "Mr"]
        if !options.contains("--first-name") { arguments += ["--first-name", "Max"] }
        if !options.contains("--last-name") { arguments += ["--last-name", "Mustermann"] }
        let output = try run(arguments + options + flags)
        XCTAssertEqual(output.status, 0, "create \(email): \(output.stderr)", file: file, line: line)
    }

    func json(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let output = try run(arguments)
        XCTAssertEqual(output.status, 0, output.stderr, file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], output.stdout, file: file, line: line)
    }
}

final class OutboxOutputs: @unchecked Sendable {
    private let lock = NSLock()
    private var outputs: [Int: ProcessOutput] = [:]
    func set(_ index: Int, _ output: ProcessOutput?) { lock.withLock { outputs[index] = output } }
    var all: [ProcessOutput] { lock.withLock { outputs.keys.sorted().compactMap { outputs[$0] } } }
}
