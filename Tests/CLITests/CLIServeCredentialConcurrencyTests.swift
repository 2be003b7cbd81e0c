import Foundation
import TestSupport
import XCTest

/// Password sets and sign-ins arriving at a real `serve` process all at once: each is answered as it would be
/// alone, and they are group-committed (fewer durable commits than requests: the events of one commit share its
/// recording time). So that the requests really wait for the writer together, another process holds the store's
/// writer while they arrive (without it, a commit can end before the next request has finished hashing).
final class CLIServeCredentialConcurrencyTests: XCTestCase {
    static let customers = 8
    static let password = "Tangerine-Orbit-7731"

    func testConcurrentPasswordSetsAndSignInsAreAnsweredCorrectlyAndGroupCommitted() throws {
        let store = CLIStore()
        var references: [String] = []
        var tokens: [String] = []
        for index in 0..<Self.customers {
            let reference = try store.create("set\(index)@example.com", flags: ["send-password-token"])
            references.append(reference)
            tokens.append(try store.token(reference, kind: "password-set"))
        }
        let server = try ServeProcess(store, arguments: ["--transport", "none"])

        // Every customer's link at once, and customer 0's twice: the second use of that token is decided inside the
        // batch, after the first has consumed it.
        func setCall(_ index: Int, _ token: String) -> HTTPCall {
            .form("/password/restore", [("token", token), ("password", Self.password), ("password-repeat", Self.password)],
                  headers: HTTPCall.browserSameOrigin, source: "127.0.0.\(10 + index)")
        }
        var holder = try store.holdTheWriter()
        let sets = try HTTPClient.sendConcurrently(tokens.enumerated().map { setCall($0.offset, $0.element) } + [setCall(99, tokens[0])], port: server.port)
        for index in 1..<Self.customers {
            XCTAssertEqual(sets[index].status, 200, "customer \(index): \(sets[index].body)")
            XCTAssertTrue(sets[index].body.contains("Your password is set."), sets[index].body)
        }
        let sameToken = [sets[0], sets[Self.customers]]
        XCTAssertEqual(sameToken.map(\.status).sorted(), [200, 410], "one use of a token wins: \(sameToken.map(\.body))")
        XCTAssertTrue(sameToken.contains { $0.body.contains("This link was already used") }, sameToken.map(\.body).description)

        // Every customer but 0 signs in; customer 0 gets seven wrong passwords at once: decided one after the
        // other, the fifth locks the account and the last two find it locked.
        let goodSignIns = try (1..<Self.customers).map { try signInCall("set\($0)@example.com", Self.password, source: "127.0.1.\($0)") }
        let wrongSignIns = try (0..<7).map { try signInCall("set0@example.com", "Wrong-Guess-\($0)-4711", source: "127.0.2.\($0)") }
        XCTAssertEqual(holder.waitForExit(timeout: 15), 0)
        holder = try store.holdTheWriter()
        let signIns = try HTTPClient.sendConcurrently(goodSignIns + wrongSignIns, port: server.port)
        XCTAssertEqual(holder.waitForExit(timeout: 15), 0)
        for (offset, answer) in signIns.prefix(goodSignIns.count).enumerated() {
            XCTAssertEqual(answer.status, 200, answer.body)
            XCTAssertEqual(try jsonObject(answer.body)["reference"] as? String, references[offset + 1])
        }
        XCTAssertEqual(signIns.suffix(wrongSignIns.count).map(\.status), Array(repeating: 401, count: wrongSignIns.count))

        let events = try store.events().filter { $0["actor"] as? String == "storefront" }
        func ofType(_ types: Set<String>) -> [[String: Any]] { events.filter { types.contains($0["type"] as? String ?? "") } }
        let passwordSets = ofType(["PasswordSet"])
        XCTAssertEqual(passwordSets.count, Self.customers, "one password set per customer, the reused token none")
        let signInEvents = ofType(["SignInSucceeded", "SignInFailed"])
        XCTAssertEqual(ofType(["SignInSucceeded"]).count, Self.customers - 1)
        XCTAssertEqual(ofType(["SignInFailed"]).count, wrongSignIns.count)
        XCTAssertEqual(ofType(["AccountLocked"]).count, 1, "one lock-out, however the wrong passwords were batched")
        let history = try store.run(["history", references[0]]).stdout
        XCTAssertEqual(history.components(separatedBy: "Sign-in refused: the account is locked").count - 1, 2, history)

        // Fewer durable commits than requests: a commit's events share its recording time.
        for (what, written) in [("password sets", passwordSets), ("sign-ins", signInEvents)] {
            let commits = Set(written.compactMap { $0["recordedAt"] as? String })
            XCTAssertLessThan(commits.count, written.count, "\(what) were not group-committed: \(commits.count) commits")
        }

        let verify = try store.run(["rebuild", "--verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let cli = try runProcess(customerES, ["--store", store.path, "authenticate", references[1]], stdin: Self.password + "\n")
        XCTAssertEqual(cli.status, 0, cli.stderr)
    }
}
