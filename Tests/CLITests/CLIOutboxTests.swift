import Foundation
import TestSupport
import XCTest

/// `outbox dispatch` and `outbox retry` end to end.
final class CLIOutboxTests: XCTestCase {
    func testDispatchIntoAFileOrADanglingLinkIsAUsageErrorThatWritesNothing() throws {
        let store = CLIStore()
        try store.create("maria@example.com")
        let file = store.folder.path("mail-file")
        XCTAssertTrue(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
        let link = store.folder.path("mail-link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: store.folder.path("gone").path)
        let before = try store.eventCount()
        for dir in [file, link] {
            let output = try store.run(["outbox", "dispatch", "--dir", dir.path])
            XCTAssertEqual(output.status, 2, output.stderr)
            XCTAssertTrue(output.stderr.contains(dir.path), output.stderr)
            XCTAssertTrue(output.stderr.contains("file transport cannot be used"), output.stderr)
        }
        XCTAssertEqual(try store.eventCount(), before, "no attempt was recorded")
        let list = try store.run(["outbox", "list", "--json"])
        let items = try XCTUnwrap(try jsonObject(list.stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["attempts"] as? Int }, [0])
    }
}

extension CLIOutboxTests {
    func testRetryRequeuesDeadEmailsAndNeedsIdsOrDead() throws {
        let store = CLIStore()
        try store.create("maria@example.com")
        XCTAssertEqual(try store.run(["settings", "delivery-max-attempts", "1"]).status, 0)
        let down = try store.run(["outbox", "dispatch", "--transport", "smtp", "--smtp-port", String(try TestSockets.freePort())])
        XCTAssertEqual(down.status, 0, down.stderr)
        XCTAssertTrue(down.stdout.contains("0 sent, 0 failed, 1 dead"), down.stdout)

        for arguments in [["outbox", "retry"], ["outbox", "retry", "--dead", "0c5e0000-0000-0000-0000-000000000000"], ["outbox", "retry", "nope"]] {
            XCTAssertEqual(try store.run(arguments).status, 2, arguments.joined(separator: " "))
        }
        let unknown = try store.run(["outbox", "retry", UUID().uuidString])
        XCTAssertEqual(unknown.status, 1, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("no email of the outbox has this id"), unknown.stderr)

        let retried = try store.run(["outbox", "retry", "--dead", "--actor", "alice"])
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssertEqual(retried.stdout, "Requeued 1 dead email; `customer-es outbox dispatch` delivers it.\n")
        let items = try XCTUnwrap(try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["state"] as? String }, ["pending"])
        let requeued = try store.events().filter { $0["type"] as? String == "EmailRequeued" }
        XCTAssertEqual(requeued.count, 1)
        XCTAssertTrue("\(requeued)".contains("alice"), "\(requeued)")
        let sent = try store.run(["outbox", "dispatch"])
        XCTAssertTrue(sent.stdout.contains("1 sent"), sent.stdout)
    }
}

extension CLIOutboxTests {
    /// Dispatcher A is stopped (SIGSTOP) in the middle of its first email, right after it said DATA, and stays
    /// stopped past its 2 s lease; B takes the emails over and sends them; A is resumed (SIGCONT). A finds its lease
    /// gone before handing the message data over, drops the transaction and leaves the emails to B: every
    /// Message-ID arrives exactly once.
    func testAPausedDispatcherDoesNotSendAgainWhatAnotherTookOver() throws {
        let store = CLIStore()
        for index in 1...3 { try store.create("customer\(index)@example.com") }
        XCTAssertEqual(try store.run(["settings", "delivery-lease", "2s"]).status, 0)

        let pidOfA = ProcessIDBox()
        let pausedA = DispatchSemaphore(value: 0)
        let server = try ScriptedSMTPServer(concurrent: true) { command, connection in
            if connection == 1, command == "DATA", pidOfA.stopOnce() { pausedA.signal() }
            return nil
        }
        defer { server.stop() }
        let smtp = ["outbox", "dispatch", "--transport", "smtp", "--smtp-port", String(server.port)]
        let dispatcherA = try RunningProcess(customerES, ["--store", store.path] + smtp)
        pidOfA.set(dispatcherA.process.processIdentifier)
        defer {
            kill(dispatcherA.process.processIdentifier, SIGCONT)
            if dispatcherA.process.isRunning { dispatcherA.kill9() }
        }
        XCTAssertEqual(pausedA.wait(timeout: .now() + 20), .success, "A reached DATA")

        Thread.sleep(forTimeInterval: 2.5)  // A's lease expires while it is stopped
        let dispatcherB = try store.run(smtp, timeout: 30)
        XCTAssertEqual(dispatcherB.status, 0, dispatcherB.stderr)
        XCTAssertTrue(dispatcherB.stdout.contains("3 sent"), dispatcherB.stdout)

        kill(dispatcherA.process.processIdentifier, SIGCONT)
        XCTAssertEqual(dispatcherA.waitForExit(timeout: 20), 0, "A ends normally after it is resumed")

        let messageIDs = server.messages.compactMap { message in
            message.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID:") }
        }
        XCTAssertEqual(messageIDs.count, 3, "A sent nothing: \(dispatcherA.lines)")
        XCTAssertEqual(Set(messageIDs).count, 3, "no Message-ID arrived twice")
        let items = try XCTUnwrap(try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["state"] as? String }, ["sent", "sent", "sent"])
        XCTAssertEqual(items.map { $0["attempts"] as? Int }, [1, 1, 1])
    }
}

/// The pid of a child started on another thread, handed to the SMTP server's script once known.
final class ProcessIDBox: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: pid_t = 0
    private var stopped = false

    func set(_ value: pid_t) { lock.withLock { pid = value } }

    /// Stops the process with SIGSTOP the first time it is called (waiting up to 5 s for the pid); true then.
    func stopOnce() -> Bool {
        for _ in 0..<500 {
            let result: Bool? = lock.withLock {
                guard pid > 0 else { return nil }
                guard !stopped else { return false }
                stopped = true
                return kill(pid, SIGSTOP) == 0
            }
            if let result { return result }
            usleep(10_000)
        }
        return false
    }
}

extension CLIOutboxTests {
    func testASenderThatIsNotFullyQualifiedIsWarnedOfWhenSetAndAtDispatch() throws {
        let store = CLIStore()
        try store.create("maria@example.com")
        let dispatch = try store.run(["outbox", "dispatch"])
        XCTAssertEqual(dispatch.status, 0, dispatch.stderr)
        XCTAssertTrue(dispatch.stderr.contains("warning: the sender address in \"Shop <no-reply@localhost>\" is not fully qualified"), dispatch.stderr)

        let local = try store.run(["settings", "sender", "Shop <shop@intranet>"])
        XCTAssertEqual(local.status, 0, local.stderr)
        XCTAssertTrue(local.stderr.contains("warning:") && local.stderr.contains("has no dot"), local.stderr)
        let real = try store.run(["settings", "sender", "Shop <shop@example.com>"])
        XCTAssertEqual(real.stderr, "")
        XCTAssertFalse(try store.run(["outbox", "dispatch"]).stderr.contains("warning"))
    }
}

extension CLIOutboxTests {
    func testOutboxListShowsNoOldErrorOnAnEmailThatWasSentAndErrorsDoNotRepeatThemselves() throws {
        let store = CLIStore()
        try store.create("maria@example.com")
        let relay = try ScriptedSMTPServer(dataReply: { number in number == 1 ? "451 4.3.0 busy, try again later" : "250 2.0.0 queued" })
        defer { relay.stop() }
        XCTAssertEqual(try store.run(["settings", "delivery-backoff", "1s,1s"]).status, 0)
        let smtp = ["outbox", "dispatch", "--transport", "smtp", "--smtp-port", String(relay.port)]
        let failed = try store.run(smtp)
        XCTAssertTrue(failed.stdout.contains("temporarily rejected the end of the message data: 451 4.3.0 busy, try again later\n"),
                      failed.stdout)
        XCTAssertFalse(failed.stdout.contains("(try again later)"), failed.stdout)
        let failedList = try store.run(["outbox", "list"])
        XCTAssertTrue(failedList.stdout.contains("451 4.3.0 busy"), failedList.stdout)

        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertTrue(try store.run(smtp).stdout.contains("1 sent"))
        let list = try store.run(["outbox", "list"])
        XCTAssertFalse(list.stdout.contains("busy, try again later"), "the old error is not shown on a sent email: \(list.stdout)")
        let items = try XCTUnwrap(try jsonObject(try store.run(["outbox", "list", "--json"]).stdout)["items"] as? [[String: Any]])
        XCTAssertEqual(items.first?["state"] as? String, "sent")
        XCTAssertTrue(items.first?["lastError"] is NSNull, "\(items)")
    }
}

extension CLIOutboxTests {
    func testDispatchOntoAFullDiskSaysSoAndCountsNoAttempt() throws {
        let store = CLIStore()
        try store.create("maria@example.com")
        let disk = try TinyFileSystem(at: store.folder.path("tiny"), size: 64 * 1024)
        defer { disk.unmount() }
        try disk.fill()
        let before = try store.eventCount()
        let output = try store.run(["outbox", "dispatch", "--dir", disk.mountPoint.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.hasPrefix("Nothing was delivered.\nDelivery stopped: no space left on the device holding \(disk.mountPoint.path) ("),
                      output.stdout)
        XCTAssertTrue(output.stdout.contains("no attempt was counted"), output.stdout)
        XCTAssertEqual(try store.eventCount(), before)
        let json = try jsonObject(try store.run(["outbox", "dispatch", "--dir", disk.mountPoint.path, "--json"]).stdout)
        XCTAssertTrue((json["outage"] as? String)?.hasPrefix("no space left on the device holding") ?? false, "\(json)")
    }
}
