import Foundation
import TestSupport
import XCTest

/// `forget` while `serve` has the store open: the erasure commits at once, serve goes on working against the
/// same file, and the compaction waits until serve stops (serve does it when it stops).
final class CLIServeForgetTests: XCTestCase {
    func testServeKeepsWorkingAfterAnErasureAndCompactsWhenItStops() throws {
        let store = CLIStore()
        let reference = try store.create(CLIForgetTests.maria["email"]!, CLIForgetTests.maria)
        let server = try ServeProcess(store)
        let forget = try store.run(["forget", reference, "--reason", "asked"])
        XCTAssertEqual(forget.status, 0, forget.stderr)
        XCTAssertTrue(forget.stderr.contains("not compacted yet"), forget.stderr)

        // serve still writes into the live file: a request it handles lands in the log everyone reads.
        let other = try store.create("keeps@example.com")
        let resend = try HTTPClient.send(.form("/register/resend", [("email", "keeps@example.com")]), port: server.port)
        XCTAssertEqual(resend.status, 200, resend.body)
        XCTAssertTrue(try store.run(["history", other]).stdout.contains("re-sent"), "serve's write is in the store's log")

        server.terminate()
        XCTAssertNotNil(server.process.waitForExit(timeout: 15))
        XCTAssertTrue(server.stderr.contains("Compacted the data file"), server.stderr)
        XCTAssertEqual(CLIForgetTests.valuesFound(under: store.url), [])
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
        XCTAssertTrue(try store.run(["history", other]).stdout.contains("re-sent"), "nothing lost by the swap")
    }
}
