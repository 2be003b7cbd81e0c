import Foundation
import TestSupport
import XCTest

/// The admin API on a real `serve`: every endpoint and its errors (401, 403, 404, 409, 422, 415), the CLI's JSON
/// shapes, `Idempotency-Key`, and the key recorded as the actor of what it writes.
final class CLIAdminAPITests: XCTestCase {
    static var maria: [String: Any] { ["email": "maria@example.com", "salutation": "Ms", "firstName": "Maria", "lastName": "Williams", "phone": "+49 30 1"] }

    func testEveryEndpointAnswersInTheCLIsShapesAndRecordsTheKeyAsActor() throws {
        let store = CLIStore()
        let agent = try store.createApiKey("crm", role: "agent"), viewer = try store.createApiKey("report", role: "viewer")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let answers = try HTTPClient.send([
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria, headers: ["Idempotency-Key": "create-maria"]),
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria, headers: ["Idempotency-Key": "create-maria"]),
            try HTTPCall.api("GET", "/api/customers?search=wil&limit=1", key: viewer),
            try HTTPCall.api("PATCH", "/api/customers/DE--1", key: agent, json: ["company": "Acme", "phone": NSNull()]),
            try HTTPCall.api("POST", "/api/customers/DE--1/notes", key: agent, json: ["message": "called back"]),
            try HTTPCall.api("POST", "/api/customers/DE--1/send-password-token", key: agent),
            try HTTPCall.api("GET", "/api/customers/maria@example.com", key: viewer),
            try HTTPCall.api("GET", "/api/customers/DE--1/history", key: viewer),
            try HTTPCall.api("GET", "/api/audit?customer=DE--1", key: viewer),
            try HTTPCall.api("GET", "/api/events?from=1&limit=2", key: viewer),
        ], port: server.port)
        XCTAssertEqual(answers.map(\.status), [201, 200, 200, 200, 200, 200, 200, 200, 200, 200], answers.map(\.body).joined(separator: "\n"))
        let created = try jsonObject(answers[0].body)
        XCTAssertEqual(created["reference"] as? String, "DE--1")
        XCTAssertEqual((created["customer"] as? [String: Any])?["status"] as? String, "Unverified")
        XCTAssertEqual(try jsonObject(answers[1].body)["replayed"] as? Bool, true, "the Idempotency-Key is the request id")
        let list = try jsonObject(answers[2].body)
        XCTAssertEqual(list["total"] as? Int, 1)
        XCTAssertEqual(((list["items"] as? [[String: Any]])?.first)?["email"] as? String, "maria@example.com")
        let shown = try jsonObject(answers[6].body)
        XCTAssertEqual(shown["company"] as? String, "Acme")
        XCTAssertTrue(shown["phone"] is NSNull, "null clears")
        let history = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(answers[7].body.utf8)) as? [[String: Any]])
        XCTAssertEqual(Set(history.compactMap { $0["actor"] as? String }), ["api-key:crm"])
        XCTAssertTrue(history.contains { $0["type"] as? String == "NoteAdded" })
        let audit = try XCTUnwrap(try jsonObject(answers[8].body)["items"] as? [[String: Any]])
        XCTAssertEqual(audit.first?["to"] as? String, "Unverified")
        XCTAssertTrue(try jsonObject(answers[8].body)["nextCursor"] is NSNull, "one change: the last page")
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(answers[9].body.utf8)) as? [Any])?.count, 2)
        let cli = try store.run(["history", "DE--1"])
        XCTAssertTrue(cli.stdout.contains("by api-key:crm"), cli.stdout)
        XCTAssertEqual(try store.run(["list", "--json"]).stdout.components(separatedBy: "\"reference\"").count - 1, 1, "one customer for two requests")

        let asOf = try HTTPClient.send(try HTTPCall.api("GET", "/api/customers/DE--1?asOf=2000-01-01T00:00:00Z", key: viewer), port: server.port)
        XCTAssertEqual(asOf.status, 404, asOf.body)
    }

    func testACreatesAnswerShowsTheCustomerExactlyAsAReadOfItDoes() throws {
        let store = CLIStore()
        let agent = try store.createApiKey("crm", role: "agent")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        var full = Self.maria
        full["gender"] = "Female"
        full["dateOfBirth"] = "1981-03-04"
        full["company"] = "Acme"
        full["locale"] = "de_DE"
        full["sendPasswordToken"] = true
        let answers = try HTTPClient.send([
            try HTTPCall.api("POST", "/api/customers", key: agent, json: full, headers: ["Idempotency-Key": "one"]),
            try HTTPCall.api("GET", "/api/customers/DE--1", key: agent),
            try HTTPCall.api("POST", "/api/customers", key: agent, json: full, headers: ["Idempotency-Key": "one"]),
        ], port: server.port)
        XCTAssertEqual(answers.map(\.status), [201, 200, 200], answers.map(\.body).joined(separator: "\n"))
        let created = try XCTUnwrap(try jsonObject(answers[0].body)["customer"] as? [String: Any])
        // A read is `show --json`'s document: the Customer object, then what `show` adds to it.
        let document = try jsonObject(answers[1].body)
        let shownOnly: Set<String> = ["asOf", "pendingEmails", "outbox", "addresses", "notes"]
        XCTAssertTrue(shownOnly.isSubset(of: document.keys), "not show --json's document: \(document.keys)")
        let read = document.filter { !shownOnly.contains($0.key) }
        XCTAssertEqual(created as NSDictionary, read as NSDictionary, "the state the create decided is the state the store holds")
        XCTAssertEqual(created["createdAt"] as? String, read["createdAt"] as? String)
        let replayed = try XCTUnwrap(try jsonObject(answers[2].body)["customer"] as? [String: Any])
        XCTAssertEqual(replayed as NSDictionary, read as NSDictionary, "a replay reads the customer")
    }

    func testTheAuditPagesByCursorNewestFirstAndRefusesAnotherFiltersCursor() throws {
        let store = CLIStore()
        for index in 1...5 { try store.create("paged\(index)@example.com") }
        let viewer = try store.createApiKey("report", role: "viewer")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        var references: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let path = "/api/audit?since=2000-01-01&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
            let answer = try HTTPClient.send(try HTTPCall.api("GET", path, key: viewer), port: server.port)
            XCTAssertEqual(answer.status, 200, answer.body)
            let page = try jsonObject(answer.body)
            references += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String }
            cursor = page["nextCursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        XCTAssertEqual(references, ["DE--5", "DE--4", "DE--3", "DE--2", "DE--1"])
        XCTAssertEqual(pages, 3)
        let first = try jsonObject(try HTTPClient.send(try HTTPCall.api("GET", "/api/audit?limit=2", key: viewer), port: server.port).body)
        let other = try HTTPClient.send(
            try HTTPCall.api("GET", "/api/audit?customer=DE--1&cursor=\(try XCTUnwrap(first["nextCursor"] as? String))", key: viewer), port: server.port)
        XCTAssertEqual(other.status, 422, other.body)
        XCTAssertEqual(((try jsonObject(other.body)["error"] as? [String: Any])?["problems"] as? [[String: Any]])?.first?["field"] as? String, "cursor")
        XCTAssertEqual(try HTTPClient.send(try HTTPCall.api("GET", "/api/audit?limit=0", key: viewer), port: server.port).status, 422)
    }

    func testRefusalsHaveTheirStatusAndTheCLIsErrorObjectAndWriteNothing() throws {
        let store = CLIStore()
        let agent = try store.createApiKey("crm", role: "agent"), viewer = try store.createApiKey("report", role: "viewer")
        let revoked = try store.createApiKey("old", role: "admin")
        XCTAssertEqual(try store.run(["api-key", "revoke", "old"]).status, 0)
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        XCTAssertEqual(try HTTPClient.send(try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria), port: server.port).status, 201)
        let before = try store.eventCount()
        let broken: [String: Any] = ["email": "not-an-email", "salutation": "Sir", "firstName": "", "lastName": "W"]
        let answers = try HTTPClient.send([
            try HTTPCall.api("GET", "/api/customers", key: nil),
            try HTTPCall.api("GET", "/api/customers", key: "ces_notakey"),
            try HTTPCall.api("GET", "/api/customers", key: revoked),
            try HTTPCall.api("POST", "/api/customers", key: viewer, json: Self.maria),
            try HTTPCall.api("PATCH", "/api/customers/DE--1", key: viewer, json: ["company": "X"]),
            try HTTPCall.api("POST", "/api/customers", key: agent, json: broken),
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria),
            try HTTPCall.api("GET", "/api/customers/DE--404", key: viewer),
            try HTTPCall.api("GET", "/api/customers?sort=shoe-size", key: viewer),
            try HTTPCall.api("GET", "/api/customers?cursor=forged", key: viewer),
            HTTPCall(method: "POST", path: "/api/customers", headers: ["Authorization": "Bearer \(agent)", "Content-Type": "text/plain"], body: "x"),
            try HTTPCall.api("POST", "/api/customers/DE--1/unknown-action", key: agent, json: [:]),
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria.merging(["email": "x@example.com"]) { $1 }, headers: ["Idempotency-Key": "create-maria-2"]),
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria.merging(["email": "y@example.com"]) { $1 }, headers: ["Idempotency-Key": "create-maria-2"]),
        ], port: server.port)
        XCTAssertEqual(answers.map(\.status), [401, 401, 401, 403, 403, 422, 409, 404, 422, 422, 415, 404, 201, 409], answers.map(\.body).joined(separator: "\n"))
        XCTAssertEqual(answers[0].header("WWW-Authenticate"), "Bearer")
        let validation = try XCTUnwrap(try jsonObject(answers[5].body)["error"] as? [String: Any])
        XCTAssertEqual(validation["code"] as? String, "validationFailed")
        XCTAssertEqual((validation["problems"] as? [[String: Any]])?.compactMap { $0["field"] as? String }, ["email", "salutation", "first-name"])
        XCTAssertEqual((try jsonObject(answers[6].body)["error"] as? [String: Any])?["code"] as? String, "emailAlreadyUsed")
        XCTAssertEqual((try jsonObject(answers[13].body)["error"] as? [String: Any])?["code"] as? String, "requestIdReused")
        let written = try store.events().dropFirst(before).compactMap { $0["type"] as? String }
        XCTAssertEqual(written, ["CustomerCreated", "VerificationRequested"], "only the one good create wrote")
    }

    func testAddressesAndEmailChangesThroughTheAPI() throws {
        let store = CLIStore()
        let agent = try store.createApiKey("crm", role: "agent")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let address: [String: Any] = [
            "salutation": "Ms", "firstName": "Maria", "lastName": "Williams", "address1": "Julie-Wolfthorn-Str. 1",
            "city": "Berlin", "zipCode": "10115", "country": "DE", "defaultBilling": true,
        ]
        let answers = try HTTPClient.send([
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria),
            try HTTPCall.api("POST", "/api/customers/DE--1/addresses", key: agent, json: address),
            try HTTPCall.api("POST", "/api/customers/DE--1/addresses", key: agent, json: ["city": "Berlin"]),
            try HTTPCall.api("PATCH", "/api/customers/DE--1/addresses/A1", key: agent, json: ["city": "Potsdam", "address2": NSNull()]),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/addresses/A9", key: agent),
            HTTPCall(method: "DELETE", path: "/api/customers/DE--1/addresses/A1", headers: ["Authorization": "Bearer \(agent)", "Content-Type": "text/plain"], body: "x"),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/addresses/A1", key: agent),
            try HTTPCall.api("POST", "/api/customers/DE--1/change-email", key: agent, json: ["email": "maria.w@example.com", "withoutVerification": true, "reason": "typo"]),
        ], port: server.port)
        XCTAssertEqual(answers.map(\.status), [201, 200, 422, 200, 404, 415, 200, 200], answers.map(\.body).joined(separator: "\n"))
        XCTAssertEqual(try jsonObject(answers[1].body)["addedId"] as? String, "A1")
        let problems = (try jsonObject(answers[2].body)["error"] as? [String: Any])?["problems"] as? [[String: Any]]
        XCTAssertTrue(problems?.contains { $0["field"] as? String == "zip-code" } ?? false, answers[2].body)
        let history = try store.run(["history", "DE--1"]).stdout
        for type in ["AddressAdded", "AddressEdited", "AddressRemoved", "EmailChanged"] {
            XCTAssertTrue(history.contains("\(type)  by api-key:crm"), "\(type): \(history)")
        }
        XCTAssertTrue(history.contains("city: Berlin → Potsdam"), history)
    }

    /// Erasure through the API: the server goes on answering (its store stays usable), the address is free
    /// again, and the compaction is done when serve stops.
    func testForgetThroughTheAPIKeepsTheServerServingAndCompactsWhenItStops() throws {
        let store = CLIStore()
        let agent = try store.createApiKey("crm", role: "agent")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let answers = try HTTPClient.send([
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria),
            try HTTPCall.api("POST", "/api/customers/DE--1/forget", key: agent, json: ["reason": ""]),
            try HTTPCall.api("POST", "/api/customers/DE--1/forget", key: agent, json: ["reason": "asked by phone"]),
            try HTTPCall.api("GET", "/api/customers/DE--1", key: agent),
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria),
            try HTTPCall.api("POST", "/api/customers/DE--1/forget", key: agent, json: ["reason": "again"]),
        ], port: server.port)
        XCTAssertEqual(answers.map(\.status), [201, 422, 200, 200, 201, 422], answers.map(\.body).joined(separator: "\n"))
        XCTAssertFalse(answers[3].body.contains("Williams"), answers[3].body)
        XCTAssertTrue(answers[5].body.contains("erased"), "an erased customer cannot be erased again: \(answers[5].body)")
        XCTAssertEqual(try jsonObject(answers[4].body)["reference"] as? String, "DE--2", "the address is free again")
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.path + "/compaction-pending"))
        XCTAssertTrue(try store.run(["history", "DE--1"]).stdout.contains("by api-key:crm"))
        server.terminate()
        XCTAssertNotNil(server.process.waitForExit(timeout: 15))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.path + "/compaction-pending"), "serve compacted as it stopped")
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }

    /// The creates of 64 clients at once share durable commits: a commit records one time on all its events, so
    /// fewer distinct recording times than creates means fewer commits than requests (`--commit-batch 1` gives
    /// each create a commit of its own and fails this).
    func testSixtyFourConcurrentCreatesAreGroupCommitted() throws {
        let store = CLIStore()
        let agent = try store.createApiKey("load", role: "agent")
        let server = try ServeProcess(store, arguments: ["--transport", "none"])
        let creates = try (0..<64).map { index in
            try HTTPCall.api("POST", "/api/customers", key: agent, json: ["email": "load\(index)@example.com", "salutation": "Mr", "firstName": "L", "lastName": "Oad"])
        }
        let holder = try store.holdTheWriter()
        let answers = try HTTPClient.sendConcurrently(creates, port: server.port)
        XCTAssertEqual(holder.waitForExit(timeout: 15), 0)
        XCTAssertEqual(answers.map(\.status), Array(repeating: 201, count: 64), answers.map(\.body).joined(separator: "\n"))
        let created = try store.events().filter { $0["type"] as? String == "CustomerCreated" }
        XCTAssertEqual(created.count, 64)
        let commits = Set(created.compactMap { $0["recordedAt"] as? String })
        XCTAssertLessThan(commits.count, created.count, "the creates were not group-committed: \(commits.count) commits for \(created.count) creates")
        let list = try jsonObject(try store.run(["list", "--json"]).stdout)
        XCTAssertEqual(list["total"] as? Int, 64)
        XCTAssertEqual(try store.run(["rebuild", "--verify"]).status, 0)
    }
}
