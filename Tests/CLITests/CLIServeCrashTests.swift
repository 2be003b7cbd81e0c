import Foundation
import TestSupport
import XCTest

/// kill -9 of `serve` in the middle of a stream of writing requests: no answered command is lost, none is partial.
final class CLIServeCrashTests: XCTestCase {
    /// Python threads POST resend requests (each one writes: a new verification token and its email) from 40
    /// loopback addresses (5 each, the per-address limit) and print one line per answer as it arrives.
    static let streamScript = """
        import http.client, sys, threading
        port = int(sys.argv[1]); email = sys.argv[2]
        calls = [("127.0.0.%d" % (2 + n // 5)) for n in range(200)]
        lock = threading.Lock()
        def worker():
            while True:
                with lock:
                    if not calls: return
                    source = calls.pop()
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
                    connection.request("POST", "/register/resend", body=("email=" + email).encode(),
                                       headers={"Content-Type": "application/x-www-form-urlencoded"})
                    status = connection.getresponse().status
                except Exception:
                    status = "error"
                with lock:
                    print(status, flush=True)
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads: thread.start()
        for thread in threads: thread.join()
        print("done", flush=True)
        """

    func testKill9DuringAStreamOfWritesLosesNoAnsweredCommand() throws {
        let store = CLIStore()
        let reference = try store.create("stream@example.com")
        let before = try store.events().filter { $0["type"] as? String == "VerificationRequested" }.count
        let server = try ServeProcess(store)
        let client = try RunningProcess(
            URL(fileURLWithPath: "/usr/bin/python3"), ["-c", Self.streamScript, String(server.port), "stream@example.com"])

        // Kill the server once a good part of the stream is answered, with the rest in flight.
        let deadline = Date().addingTimeInterval(30)
        while client.lines.count < 60 && client.process.isRunning && Date() < deadline { usleep(2_000) }
        server.process.kill9()
        XCTAssertNotNil(client.waitForExit(timeout: 30), "the client did not finish")
        let answers = client.lines.filter { $0 != "done" }
        let answered = answers.filter { $0 == "200" }.count
        XCTAssertGreaterThanOrEqual(answered, 60, "answers: \(answers)")
        XCTAssertLessThan(answers.count - answers.filter { $0 == "error" }.count, 200, "the kill came before the end of the stream")
        XCTAssertTrue(answers.allSatisfy { $0 == "200" || $0 == "error" }, "only successes and dropped connections: \(answers)")

        let events = try store.events()
        let resent = events.filter { $0["type"] as? String == "VerificationRequested" && $0["actor"] as? String == "storefront" }
        XCTAssertGreaterThanOrEqual(resent.count, answered, "every request answered 200 is in the log")
        XCTAssertEqual(before + resent.count, events.filter { $0["type"] as? String == "VerificationRequested" }.count)
        // Group commit: requests that waited for the writer together share one transaction (one recording time).
        let perCommit = Dictionary(grouping: resent, by: { $0["recordedAt"] as? String ?? "" })
        XCTAssertGreaterThan(perCommit.values.map(\.count).max() ?? 0, 1, "concurrent writes were not group-committed")
        XCTAssertLessThan(perCommit.count, resent.count)

        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertEqual(try store.show(reference)["status"] as? String, "Unverified")
        // The store serves again after the crash.
        let again = try ServeProcess(store)
        XCTAssertEqual(try HTTPClient.send(.form("/register/resend", [("email", "stream@example.com")], source: "127.0.0.99"), port: again.port).status, 200)
    }

    func testSigtermDuringAStreamAnswersWhatIsInFlightAndExitsZero() throws {
        let store = CLIStore()
        try store.create("stream@example.com")
        let before = try store.events().filter { $0["type"] as? String == "VerificationRequested" }.count
        let server = try ServeProcess(store, arguments: ["--json"])
        let client = try RunningProcess(
            URL(fileURLWithPath: "/usr/bin/python3"), ["-c", Self.streamScript, String(server.port), "stream@example.com"])
        let deadline = Date().addingTimeInterval(30)
        while client.lines.count < 40 && client.process.isRunning && Date() < deadline { usleep(2_000) }
        server.terminate()
        XCTAssertEqual(server.process.waitForExit(timeout: 20), 0, server.stderr)
        XCTAssertNotNil(client.waitForExit(timeout: 30), "the client did not finish")
        let answered = client.lines.filter { $0 == "200" }.count
        XCTAssertGreaterThanOrEqual(answered, 40)
        let resent = try store.events().filter { $0["type"] as? String == "VerificationRequested" }.count - before
        XCTAssertGreaterThanOrEqual(resent, answered, "every request answered 200 before the stop is in the log")
        // --json: the access log is JSON Lines, one object per answered request, without query strings.
        let lines = server.stderr.split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, answered)
        for line in lines {
            let entry = try jsonObject(String(line))
            XCTAssertEqual(entry["path"] as? String, "/register/resend", String(line))
            XCTAssertNotNil(entry["status"] as? Int)
        }
        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }
}
