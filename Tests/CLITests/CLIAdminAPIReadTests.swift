import Foundation
import TestSupport
import XCTest

/// The admin API on a real `serve`, read back: a customer's document is `show --json`'s (now and at a past
/// instant), notes are withdrawn through it, the list pages by cursor to its end, bad paths and parameters are
/// refused, and what the API writes names its key as the actor in the log and the audit.
final class CLIAdminAPIReadTests: XCTestCase {
    static var maria: [String: Any] { ["email": "maria@example.com", "salutation": "Ms", "firstName": "Maria", "lastName": "Williams"] }
    static var address: [String: Any] {
        ["salutation": "Ms", "firstName": "Maria", "lastName": "Williams", "address1": "Julie-Wolfthorn-Str. 1", "city": "Berlin",
         "zipCode": "10115", "country": "DE", "defaultShipping": true]
    }

    /// A store with an agent's key (`crm`) and a viewer's (`report`), served by a real `serve` without a mail
    /// transport; `prepare` runs on the store before the keys are made.
    struct ServedStore {
        let store = CLIStore()
        let agent: String, viewer: String
        let server: ServeProcess

        init(prepare: (CLIStore) throws -> Void = { _ in }) throws {
            try prepare(store)
            agent = try store.createApiKey("crm", role: "agent")
            viewer = try store.createApiKey("report", role: "viewer")
            server = try ServeProcess(store, arguments: ["--transport", "none"])
        }

        /// The calls one after the other, which must be answered with `statuses`.
        func send(_ calls: [HTTPCall], expecting statuses: [Int], file: StaticString = #filePath, line: UInt = #line) throws -> [HTTPAnswer] {
            let answers = try HTTPClient.send(calls, port: server.port, file: file, line: line)
            XCTAssertEqual(answers.map(\.status), statuses, answers.map(\.body).joined(separator: "\n"), file: file, line: line)
            return answers
        }

        /// One call, which must be answered with `status`: its JSON object.
        func object(_ call: HTTPCall, expecting status: Int = 200, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
            try jsonObject(try send([call], expecting: [status], file: file, line: line)[0].body, file: file, line: line)
        }
    }

    func errorCode(_ answer: HTTPAnswer) throws -> String? {
        (try jsonObject(answer.body)["error"] as? [String: Any])?["code"] as? String
    }

    func testACustomerReadsAsShowJSONWithAddressesAndNotesNowAndAtAPastInstant() throws {
        let served = try ServedStore()
        let (store, agent, viewer) = (served.store, served.agent, served.viewer)
        _ = try served.send([
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria),
            try HTTPCall.api("POST", "/api/customers/DE--1/addresses", key: agent, json: Self.address),
            try HTTPCall.api("POST", "/api/customers/DE--1/notes", key: agent, json: ["message": "prefers email"]),
            try HTTPCall.api("PATCH", "/api/customers/DE--1", key: agent, json: ["company": "Acme"]),
        ], expecting: [201, 200, 200, 200])
        // A second client process: the next edit is recorded at a later instant than the first.
        _ = try served.send([
            try HTTPCall.api("PATCH", "/api/customers/DE--1", key: agent, json: ["company": "Globex"]),
            try HTTPCall.api("POST", "/api/customers/DE--1/notes", key: agent, json: ["message": "moved to Globex"]),
        ], expecting: [200, 200])

        let now = try served.object(try HTTPCall.api("GET", "/api/customers/maria@example.com", key: viewer))
        XCTAssertEqual(now["company"] as? String, "Globex")
        XCTAssertTrue(now["asOf"] is NSNull, "the customer now: \(now)")
        let addresses = try XCTUnwrap(now["addresses"] as? [[String: Any]], "no addresses: \(now)")
        XCTAssertEqual(addresses.map { $0["id"] as? String }, ["A1"])
        XCTAssertEqual(addresses.first?["city"] as? String, "Berlin")
        XCTAssertEqual(addresses.first?["defaultShipping"] as? Bool, true)
        let notes = try XCTUnwrap(now["notes"] as? [[String: Any]], "no notes: \(now)")
        XCTAssertEqual(notes.map { $0["message"] as? String }, ["prefers email", "moved to Globex"])
        XCTAssertEqual(notes.first?["author"] as? String, "api-key:crm")
        XCTAssertEqual((now["pendingEmails"] as? [[String: Any]])?.map { $0["kind"] as? String }, ["verification"])
        XCTAssertEqual(now as NSDictionary, try store.show("DE--1") as NSDictionary, "the API answers show --json's document")

        // Halfway between the two edits: the company of the first, the note added before it, not the later one.
        let edits = try store.events().filter { $0["type"] as? String == "CustomerEdited" }.compactMap { ISO.parse($0["recordedAt"] as? String) }
        XCTAssertEqual(edits.count, 2)
        let between = ISO.format(edits[0].addingTimeInterval(edits[1].timeIntervalSince(edits[0]) / 2))
        XCTAssertLessThan(edits[0], try XCTUnwrap(ISO.parse(between)))
        XCTAssertLessThan(try XCTUnwrap(ISO.parse(between)), edits[1])
        let past = try served.object(try HTTPCall.api("GET", "/api/customers/DE--1?asOf=\(between)", key: viewer))
        XCTAssertEqual(past["company"] as? String, "Acme", "the value between the edits: \(past)")
        XCTAssertEqual(ISO.parse(past["asOf"] as? String), ISO.parse(between))
        XCTAssertEqual((past["notes"] as? [[String: Any]])?.map { $0["message"] as? String }, ["prefers email"])
        XCTAssertEqual((past["addresses"] as? [[String: Any]])?.map { $0["id"] as? String }, ["A1"])
        XCTAssertEqual(past as NSDictionary, try store.show("DE--1", asOf: between) as NSDictionary, "the API answers show --as-of --json's document")
    }

    func testANoteIsWithdrawnThroughTheAPIOnceWithTheKeyAsWithdrawer() throws {
        let served = try ServedStore()
        let (store, agent, viewer) = (served.store, served.agent, served.viewer)
        _ = try served.send([
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria),
            try HTTPCall.api("POST", "/api/customers/DE--1/notes", key: agent, json: ["message": "wrong customer"]),
            try HTTPCall.api("POST", "/api/customers/DE--1/notes", key: agent, json: ["message": "called back"]),
        ], expecting: [201, 200, 200])
        let withdraw = ["Idempotency-Key": "withdraw-n1"]
        let answers = try served.send([
            try HTTPCall.api("DELETE", "/api/customers/DE--1/notes/N1", key: viewer, json: ["reason": "mixed up"]),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/notes/n1", key: agent, json: ["reason": "mixed up"], headers: withdraw),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/notes/n1", key: agent, json: ["reason": "mixed up"], headers: withdraw),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/notes/n1", key: agent, json: ["reason": "other"], headers: withdraw),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/notes/N1", key: agent),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/notes/N9", key: agent),
            try HTTPCall.api("DELETE", "/api/customers/DE--404/notes/N1", key: agent),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/notes/N2", key: agent, json: ["reason": "two\nlines"]),
            HTTPCall(method: "DELETE", path: "/api/customers/DE--1/notes/N2", headers: ["Authorization": "Bearer \(agent)", "Content-Type": "text/plain"], body: "x"),
            try HTTPCall.api("DELETE", "/api/customers/DE--1/nonsense/N2", key: agent),
        ], expecting: [403, 200, 200, 409, 409, 404, 404, 422, 415, 404])
        let withdrawn = try jsonObject(answers[1].body)
        XCTAssertEqual(withdrawn["message"] as? String, "Note N1 was withdrawn.")
        XCTAssertEqual(withdrawn["replayed"] as? Bool, false)
        XCTAssertEqual(((withdrawn["customer"] as? [String: Any])?["reference"]) as? String, "DE--1")
        XCTAssertEqual(try jsonObject(answers[2].body)["replayed"] as? Bool, true, "the Idempotency-Key is the request id")
        XCTAssertEqual(try errorCode(answers[3]), "requestIdReused")
        XCTAssertEqual(try errorCode(answers[4]), "noteAlreadyWithdrawn")
        XCTAssertEqual(try errorCode(answers[5]), "noteNotFound")
        XCTAssertEqual(try errorCode(answers[6]), "customerNotFound")
        XCTAssertEqual((try jsonObject(answers[7].body)["error"] as? [String: Any]).flatMap { ($0["problems"] as? [[String: Any]])?.first?["field"] as? String }, "reason")

        let written = try store.events().filter { $0["type"] as? String == "NoteWithdrawn" }
        XCTAssertEqual(written.count, 1, "one withdrawal for all those requests")
        XCTAssertEqual(written.first?["actor"] as? String, "api-key:crm")
        let listed = try store.run(["note", "list", "DE--1", "--all", "--json"])
        let notes = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], listed.stdout + listed.stderr)
        XCTAssertEqual(notes.first?["withdrawnBy"] as? String, "api-key:crm")
        XCTAssertEqual(notes.first?["withdrawalReason"] as? String, "mixed up")
        XCTAssertTrue(notes.last?["withdrawnBy"] is NSNull, "N2 is still live: \(notes)")
        let shown = try store.show("DE--1")
        XCTAssertEqual((shown["notes"] as? [[String: Any]])?.map { $0["id"] as? String }, ["N2"])
    }

    func testResendVerificationQueuesANewEmailAndIsRefusedForAVerifiedCustomer() throws {
        var verified = ""
        let served = try ServedStore { store in
            verified = try store.create("verified@example.com")
            XCTAssertEqual(try store.run(["verify-email", "--token", try store.token(verified)]).status, 0)
        }
        let (store, agent) = (served.store, served.agent)
        _ = try served.send([try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria)], expecting: [201])
        let before = try store.show("DE--2")
        let written = try store.eventCount()
        let answers = try served.send([
            try HTTPCall.api("POST", "/api/customers/DE--2/resend-verification", key: agent),
            try HTTPCall.api("POST", "/api/customers/\(verified)/resend-verification", key: agent),
        ], expecting: [200, 409])
        let resent = try jsonObject(answers[0].body)
        XCTAssertEqual(resent["queuedEmails"] as? Int, 1, answers[0].body)
        XCTAssertEqual((resent["customer"] as? [String: Any])?["status"] as? String, "Unverified")
        XCTAssertEqual(try errorCode(answers[1]), "notUnverified")
        let added = try store.events().dropFirst(written)
        XCTAssertEqual(added.map { $0["type"] as? String }, ["VerificationRequested"], "one new email, nothing for the verified customer")
        XCTAssertEqual(added.first?["actor"] as? String, "api-key:crm")
        let pendingBefore = try XCTUnwrap((before["pendingEmails"] as? [[String: Any]])?.first)
        let pendingAfter = try XCTUnwrap(try store.show("DE--2")["pendingEmails"] as? [[String: Any]])
        XCTAssertEqual(pendingAfter.count, 1, "the new link replaces the old one: \(pendingAfter)")
        XCTAssertNotEqual(pendingAfter.first?["id"] as? String, pendingBefore["id"] as? String, "a new outbox entry")
    }

    func testTheListPagesByCursorToItsEndGivingEveryCustomerOnceInOrder() throws {
        let served = try ServedStore()
        let (agent, viewer) = (served.agent, served.viewer)
        // Created in one order, their emails sort in another.
        let emails = ["delta", "alpha", "echo", "charlie", "golf", "bravo", "foxtrot"].map { "\($0)@example.com" }
        _ = try served.send(try emails.map { try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria.merging(["email": $0]) { $1 }) },
                            expecting: Array(repeating: 201, count: emails.count))

        func walk(_ query: String) throws -> (emails: [String], pages: Int) {
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let path = "/api/customers?limit=3&\(query)" + (cursor.map { "&cursor=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
                let page = try served.object(try HTTPCall.api("GET", path, key: viewer))
                XCTAssertEqual(page["total"] as? Int, emails.count, "every page counts the whole list")
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
                cursor = page["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages <= emails.count
            return (seen, pages)
        }
        let created = try walk("sort=created")
        XCTAssertEqual(created.emails, emails, "creation order, each once")
        XCTAssertEqual(created.pages, 3, "3 + 3 + 1, and the last page has no cursor")
        let byEmail = try walk("sort=email&desc=true")
        XCTAssertEqual(byEmail.emails, emails.sorted(by: >), "email order, descending, each once")
        XCTAssertEqual(byEmail.pages, 3)
    }

    func testUnknownPathsAndBadParametersAreRefused() throws {
        let served = try ServedStore()
        let (store, agent) = (served.store, served.agent)
        _ = try served.send([try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria)], expecting: [201])
        let before = try store.eventCount()
        let answers = try served.send([
            try HTTPCall.api("GET", "/api/events?from=garbage", key: agent),
            try HTTPCall.api("GET", "/api/events?from=0", key: agent),
            try HTTPCall.api("GET", "/api/events?limit=1001", key: agent),
            try HTTPCall.api("GET", "/api/customers/DE--1/nonsense", key: agent),
            try HTTPCall.api("GET", "/api/customers/DE--1/history/more", key: agent),
            try HTTPCall.api("GET", "/api/customers/DE--1?asOf=yesterday", key: agent),
            try HTTPCall.api("GET", "/api/customers/DE--1/history", key: agent),
        ], expecting: [422, 422, 422, 404, 404, 422, 200])
        let refusal = try XCTUnwrap(try jsonObject(answers[0].body)["error"] as? [String: Any])
        XCTAssertEqual(refusal["code"] as? String, "validationFailed")
        XCTAssertEqual((refusal["problems"] as? [[String: Any]])?.compactMap { $0["field"] as? String }, ["from"])
        XCTAssertEqual(try errorCode(answers[2]), "validationFailed")
        XCTAssertEqual(try errorCode(answers[3]), "notFound")
        XCTAssertEqual(try errorCode(answers[4]), "notFound")
        XCTAssertEqual(((try jsonObject(answers[5].body)["error"] as? [String: Any])?["problems"] as? [[String: Any]])?.first?["field"] as? String, "asOf")
        XCTAssertEqual(try store.eventCount(), before, "a refused read writes nothing")
    }

    func testWhatTheAPIWritesNamesItsKeyAsTheActorInTheLogAndTheAudit() throws {
        let served = try ServedStore { try $0.create("alice-made@example.com", global: ["--actor", "alice"]) }
        let (store, agent) = (served.store, served.agent)
        let head = try store.eventCount()
        let answers = try served.send([
            try HTTPCall.api("POST", "/api/customers", key: agent, json: Self.maria, headers: ["Idempotency-Key": "maria"]),
            try HTTPCall.api("POST", "/api/customers/DE--2/notes", key: agent, json: ["message": "first call"]),
            try HTTPCall.api("GET", "/api/audit", key: agent),
        ], expecting: [201, 200, 200])

        // The audit's status changes: the API's create by its key, the CLI's by its actor.
        let audit = try XCTUnwrap(try jsonObject(answers[2].body)["items"] as? [[String: Any]])
        XCTAssertEqual(audit.map { $0["reference"] as? String }, ["DE--2", "DE--1"], "newest first")
        XCTAssertEqual(audit.map { $0["actor"] as? String }, ["api-key:crm", "alice"])
        XCTAssertEqual(audit.first?["to"] as? String, "Unverified")
        let cliAudit = try store.run(["audit", "--customer", "DE--2", "--json"])
        let cliChanges = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(cliAudit.stdout.utf8)) as? [[String: Any]], cliAudit.stderr)
        XCTAssertEqual(cliChanges.map { $0["actor"] as? String }, ["api-key:crm"])

        // Every event the requests wrote, as history reads them back.
        let written = try store.events().dropFirst(head)
        XCTAssertEqual(written.map { $0["type"] as? String }, ["CustomerCreated", "VerificationRequested", "NoteAdded"])
        XCTAssertEqual(Set(written.map { $0["actor"] as? String }), ["api-key:crm"])
        let history = try store.run(["history", "DE--2", "--json"])
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]], history.stderr)
        XCTAssertEqual(entries.count, 3)
        XCTAssertEqual(Set(entries.map { $0["actor"] as? String }), ["api-key:crm"])
    }
}
