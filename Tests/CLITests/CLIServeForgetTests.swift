import Foundation
import TestSupport
import XCTest

/// `forget` while `serve` runs: serve compacts the data file soon after, with its store kept open, so the erased
/// values leave `data.mdb` within seconds while serve goes on answering; when another process has the store
/// open it says so and tries again until it can.
final class CLIServeForgetTests: XCTestCase {
    /// Polls until `condition` holds, for at most `seconds` (the compaction thread looks every half second).
    func eventually(within seconds: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    func testAForgetThroughTheAPIIsCompactedWhileServeKeepsAnswering() throws {
        let store = CLIStore()
        let reference = try store.create(CLIForgetTests.maria["email"]!, CLIForgetTests.maria)
        let created = try store.run(["api-key", "create", "crm", "--role", "agent", "--json"])
        let key = try XCTUnwrap(try jsonObject(created.stdout)["key"] as? String)
        let server = try ServeProcess(store)
        let auth = ["Authorization": "Bearer \(key)"]
        let forget = try HTTPClient.send(HTTPCall(
            method: "POST", path: "/api/customers/\(reference)/forget", headers: auth.merging(["Content-Type": "application/json"]) { $1 },
            body: #"{"reason": "asked by phone"}"#), port: server.port)
        XCTAssertEqual(forget.status, 200, forget.body)

        var answered = 0
        let gone = try eventually(within: 10) {
            // serve answers meanwhile: reads and a write, none refused.
            let answers = try HTTPClient.send([
                HTTPCall(path: "/api/customers", headers: auth),
                HTTPCall(method: "POST", path: "/api/customers", headers: auth.merging(["Content-Type": "application/json"]) { $1 },
                         body: #"{"email": "during\#(answered)@example.com", "salutation": "Mr", "firstName": "Dan", "lastName": "During"}"#),
            ], port: server.port)
            XCTAssertEqual(answers.map(\.status), [200, 201], answers.map(\.body).joined(separator: "\n"))
            answered += 1
            return CLIForgetTests.valuesFound(under: store.url).isEmpty
        }
        XCTAssertTrue(gone, "still in the store: \(CLIForgetTests.valuesFound(under: store.url)); serve said: \(server.stderr)")
        XCTAssertTrue(eventually(within: 5) { server.stderr.contains("Compacted the data file after an erasure") }, server.stderr)
        XCTAssertTrue(server.process.process.isRunning, "serve did not stop to compact")

        // After the swap: serve reads and writes the new file, and other processes open it.
        let after = try HTTPClient.send(HTTPCall(path: "/api/customers/\(reference)", headers: auth), port: server.port)
        XCTAssertEqual(after.status, 200, after.body)
        XCTAssertFalse(after.body.contains("Mariazq"))
        let list = try store.run(["list", "--all", "--format", "csv"])
        XCTAssertEqual(list.status, 0, list.stderr)
        for index in 0..<answered { XCTAssertTrue(list.stdout.contains("during\(index)@example.com"), "created during the compaction: \(index)") }
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }

    func testAnotherProcessHoldingTheStoreDelaysTheCompactionUntilItLetsGo() throws {
        let store = CLIStore()
        let reference = try store.create(CLIForgetTests.maria["email"]!, CLIForgetTests.maria)
        let server = try ServeProcess(store)
        let follower = try RunningProcess(customerES, ["--store", store.path, "events", "--follow"])
        defer { if follower.process.isRunning { follower.kill9() } }
        XCTAssertTrue(eventually(within: 10) { !follower.lines.isEmpty }, "the follower has the store open")

        let forget = try store.run(["forget", reference, "--reason", "asked"])
        XCTAssertEqual(forget.status, 0, forget.stderr)
        XCTAssertTrue(eventually(within: 10) { server.stderr.contains("another process has the store open") }, server.stderr)
        XCTAssertFalse(CLIForgetTests.valuesFound(under: store.url).isEmpty, "not compacted while another process maps the file")

        follower.kill9()
        XCTAssertTrue(eventually(within: 15) { CLIForgetTests.valuesFound(under: store.url).isEmpty },
                      "\(CLIForgetTests.valuesFound(under: store.url)); serve said: \(server.stderr)")
        let resend = try HTTPClient.send(.form("/register/resend", [("email", "nobody@example.com")]), port: server.port)
        XCTAssertEqual(resend.status, 200, resend.body)

        server.terminate()
        XCTAssertNotNil(server.process.waitForExit(timeout: 15))
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }
}
