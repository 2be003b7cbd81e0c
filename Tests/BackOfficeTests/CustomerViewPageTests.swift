import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import XCTest

/// The customer page: fields, emails with delivery state, history with actors and changes, "as of", and the
/// action forms (edit, change email, address, note, resend, password token) recorded with the operator, each
/// rendering of a form acting once however often it is posted.
final class CustomerViewPageTests: XCTestCase {
    func testThePageShowsEveryFieldTheEmailsAndTheHistoryWithItsActors() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com", first: "Anna", last: "Adler", company: "A & B")
        let html = try fixture.get("/backoffice/customers/\(reference)").html
        XCTAssertTrue(html.contains("<h1>Customer \(reference)</h1>"))
        for name in ["reference", "email", "salutation", "firstName", "lastName", "gender", "dateOfBirth", "phone", "company", "locale", "status", "createdAt", "verifiedAt"] {
            XCTAssertNotNil(HTMLFacts.tag(withId: "detail-\(name)", in: html), "the \(name) row")
        }
        XCTAssertTrue(html.contains("<td>A &amp; B</td>"))
        let emails = HTMLFacts.bodyRows(ofTable: "emails", in: html)
        XCTAssertEqual(emails.count, 1, "the verification email: \(emails)")
        XCTAssertEqual(emails.first?.split(separator: "|").dropFirst().prefix(4), ["verification", "anna@example.com", "pending", "0"])
        let history = HTMLFacts.bodyRows(ofTable: "history", in: html)
        XCTAssertEqual(history.count, 2, "created and verification requested: \(history)")
        XCTAssertTrue(history.allSatisfy { $0.contains("|test|") })
        for id in ["edit-customer", "add-address", "resend-verification", "send-password-token", "new-email", "note-message"] {
            XCTAssertNotNil(HTMLFacts.tag(withId: id, in: html), id)
        }
        let viewer = try fixture.get("/backoffice/customers/\(reference)", as: .viewer).html
        for id in ["actions", "note-message", "new-email"] { XCTAssertNil(HTMLFacts.tag(withId: id, in: viewer), "no \(id) for viewers") }
        XCTAssertEqual(try fixture.get("/backoffice/customers/XX--99").status, .notFound)
    }

    func testEditAndNoteAreRecordedWithTheOperatorAndAsOfShowsTheCustomerBefore() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com", first: "Anna", last: "Adler")
        let beforeEdit = UTCTime.iso8601(Date())
        Thread.sleep(forTimeInterval: 0.01)
        let editForm = try fixture.get("/backoffice/customers/\(reference)/edit").html
        XCTAssertTrue(editForm.contains("value=\"Anna\""), "the form starts from the current values")
        XCTAssertNil(HTMLFacts.tag(withId: "customer-email", in: editForm), "the email changes through its own action")
        XCTAssertTrue(editForm.contains("<option value=\"en_US\" selected>"), "the customer's locale, no empty choice")
        XCTAssertFalse(editForm.contains("Store default"))
        let edited = try fixture.post("/backoffice/customers/\(reference)/edit", [
            ("salutation", "Ms"), ("first-name", "Annette"), ("last-name", "Adler"), ("gender", ""), ("date-of-birth", ""),
            ("phone", ""), ("company", ""), ("locale", "en_US"),
        ])
        XCTAssertEqual(edited.location, "/backoffice/customers/\(reference)?done=updated")
        let noted = try fixture.post("/backoffice/customers/\(reference)/note", [("message", "Called <about> the invoice")])
        XCTAssertEqual(noted.location, "/backoffice/customers/\(reference)?done=note-added")

        let now = try fixture.get(noted.location!).html
        XCTAssertTrue(now.contains("Note was added."))
        XCTAssertTrue(now.contains("<p>Called &lt;about&gt; the invoice</p>"))
        let history = HTMLFacts.bodyRows(ofTable: "history", in: now)
        XCTAssertTrue(history[1].contains("|operator:alice|"), "newest first: the edit, by the operator: \(history)")
        XCTAssertTrue(history[1].contains("Anna → Annette"), history[1])

        let then = try fixture.get("/backoffice/customers/\(reference)?asOf=\(beforeEdit)")
        XCTAssertEqual(then.status, .ok)
        XCTAssertTrue(then.html.contains("id=\"as-of-note\""))
        XCTAssertTrue(then.html.contains("<tr id=\"detail-firstName\"><th scope=\"row\">First Name</th><td>Anna</td></tr>"))
        XCTAssertNil(HTMLFacts.tag(withId: "actions", in: then.html), "no actions on the past")
        XCTAssertFalse(HTMLFacts.bodyRows(ofTable: "history", in: then.html).contains { $0.contains("operator:alice") })

        let early = try fixture.get("/backoffice/customers/\(reference)?asOf=2000-01-01T00:00")
        XCTAssertEqual(early.status, .badRequest)
        XCTAssertTrue(early.html.contains("aria-describedby=\"as-of-problems\""))
        XCTAssertEqual(try fixture.get("/backoffice/customers/\(reference)?asOf=yesterday").status, .badRequest)
    }

    func testARefusedActionIsShownBesideItsFieldAndWritesNothing() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        try fixture.createCustomer("bert@example.com")
        let before = try fixture.service.history(of: reference).count
        let refused = try fixture.post("/backoffice/customers/\(reference)/email", [("email", "bert@example.com")])
        XCTAssertEqual(refused.status, .unprocessableContent)
        XCTAssertTrue(refused.html.contains("aria-describedby=\"new-email-problems\""))
        XCTAssertTrue(refused.html.contains("<ul id=\"new-email-problems\" class=\"problem\"><li>Email is already used</li></ul>"), refused.html)
        XCTAssertTrue(refused.html.contains("value=\"bert@example.com\""))
        let emptyNote = try fixture.post("/backoffice/customers/\(reference)/note", [("message", "  ")])
        XCTAssertEqual(emptyNote.status, .unprocessableContent)
        XCTAssertTrue(emptyNote.html.contains("id=\"note-message-problems\""))
        XCTAssertEqual(try fixture.service.history(of: reference).count, before)
        XCTAssertEqual(try fixture.post("/backoffice/customers/\(reference)/note", [("message", "hi")], as: .viewer).status, .forbidden)
        XCTAssertEqual(try fixture.post("/backoffice/customers/\(reference)/note", [("message", "hi")], csrf: "forged").status, .forbidden)
        XCTAssertEqual(try fixture.service.history(of: reference).count, before)
    }

    func testTokenActionsAndAnAddressAreQueuedAndRecorded() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        XCTAssertEqual(try fixture.post("/backoffice/customers/\(reference)/resend-verification", []).location,
                       "/backoffice/customers/\(reference)?done=verification-queued")
        XCTAssertEqual(try fixture.post("/backoffice/customers/\(reference)/password-token", []).location,
                       "/backoffice/customers/\(reference)?done=password-token-queued")
        let form = try fixture.get("/backoffice/customers/\(reference)/address").html
        for id in HTMLFacts.controlIds(form) { XCTAssertTrue(form.contains("<label for=\"\(id)\""), "a label for \(id)") }
        let broken = try fixture.post("/backoffice/customers/\(reference)/address", [("salutation", "Ms"), ("first-name", "Anna")])
        XCTAssertEqual(broken.status, .unprocessableContent)
        XCTAssertTrue(broken.html.contains("id=\"address-city-problems\""))
        XCTAssertTrue(broken.html.contains("value=\"Anna\""))
        let added = try fixture.post("/backoffice/customers/\(reference)/address", [
            ("salutation", "Ms"), ("first-name", "Anna"), ("last-name", "Adler"), ("address1", "Hauptstraße 1"),
            ("city", "Berlin"), ("zip-code", "10115"), ("country", "DE"), ("default-billing", "on"),
        ])
        XCTAssertEqual(added.location, "/backoffice/customers/\(reference)?done=address-added")
        let page = try fixture.get("/backoffice/customers/\(reference)").html
        XCTAssertTrue(page.contains("<dd>Hauptstraße 1</dd>"))
        let emails = HTMLFacts.bodyRows(ofTable: "emails", in: page).map { Array($0.split(separator: "|").map(String.init)) }
        XCTAssertEqual(emails.map { $0[1] }, ["password-set", "verification", "verification"], "every email, newest first")
        XCTAssertEqual(emails.map { $0[5].hasPrefix("works until ") }, [true, true, false], "the first verification link was replaced")
        let actors = try fixture.service.history(of: reference).dropFirst(2).map(\.actor)
        XCTAssertEqual(Set(actors), ["operator:alice"])
    }

    /// Every email the outbox holds for the customer, newest first: kind, recipient, queued time, delivery state,
    /// attempts, and whether its link still works; a dispatch changes the state shown. Never a link or token.
    func testThePageListsEveryEmailOfTheCustomerWithItsDeliveryStateAndWhetherItsLinkWorks() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        XCTAssertEqual(try fixture.post("/backoffice/customers/\(reference)/resend-verification", []).status, .seeOther)
        XCTAssertEqual(try fixture.post("/backoffice/customers/\(reference)/email", [("email", "anna.new@example.com")]).status, .seeOther)

        let rows = { () throws -> [[String]] in
            let html = try fixture.get("/backoffice/customers/\(reference)").html
            XCTAssertFalse(html.contains("token="), "no link on the page")
            return HTMLFacts.bodyRows(ofTable: "emails", in: html).map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        }
        let before = try rows()
        XCTAssertEqual(before.map { Array($0[1...4]) }, [
            ["email-change-notice", "anna@example.com", "pending", "0"],
            ["email-change", "anna.new@example.com", "pending", "0"],
            ["verification", "anna@example.com", "pending", "0"],
            ["verification", "anna@example.com", "pending", "0"],
        ])
        XCTAssertEqual(before.map { $0[5] == "used, replaced or expired" }, [false, false, false, true])
        XCTAssertEqual(before[0][5], "none (a notice)")
        XCTAssertTrue(before[1][5].hasPrefix("works until 20"), before[1][5])
        let queued = before.map { $0[0] }
        XCTAssertTrue(queued.allSatisfy { ISO8601Time.parse($0) != nil }, "queued times: \(queued)")
        XCTAssertEqual(queued, queued.sorted(by: >), "newest first")

        let dispatcher = try fixture.service.outboxDispatcher(.file(directory: fixture.folder.path("mail")), metadata: CommandMetadata(actor: "test-dispatcher"))
        XCTAssertEqual(try dispatcher.dispatchDue().processed, 4)
        let after = try rows()
        XCTAssertEqual(after.map { $0[1] }, before.map { $0[1] })
        XCTAssertEqual(after.map { $0[3] }, ["sent", "sent", "sent", "dead"], "the replaced verification is not sent: \(after)")
        XCTAssertEqual(after.map { $0[4] }, ["1", "1", "1", "0"])
    }

    /// A change of email from the customer page: 303 with the flash, the pending address shown, the confirmation
    /// queued to the new address and the notice to the current one, recorded with the operator.
    func testAChangeOfEmailFromThePageIsSavedShownAndQueuesTheConfirmation() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        let changed = try fixture.post("/backoffice/customers/\(reference)/email", [("email", "anna.new@example.com")])
        XCTAssertEqual(changed.status, .seeOther)
        XCTAssertEqual(changed.location, "/backoffice/customers/\(reference)?done=email-change")
        let page = try fixture.get(try XCTUnwrap(changed.location)).html
        XCTAssertTrue(page.contains("The email change was saved; a new address needing confirmation was emailed a link."), page)
        XCTAssertTrue(page.contains("<tr id=\"detail-pendingEmail\"><th scope=\"row\">Pending email</th><td>anna.new@example.com</td></tr>"), page)
        XCTAssertTrue(page.contains("<tr id=\"detail-email\"><th scope=\"row\">Email</th><td>anna@example.com</td></tr>"), "unchanged until confirmed")
        let queued = try fixture.service.outboxEntries(state: "pending").filter { $0.reference == reference }
        XCTAssertEqual(Set(queued.map { "\($0.kind.rawValue) \($0.recipient)" }),
                       ["email-change anna.new@example.com", "email-change-notice anna@example.com", "verification anna@example.com"])
        XCTAssertEqual(try fixture.service.history(of: reference).last?.actor, "operator:alice")
    }

    // MARK: One outcome per rendering of a form

    /// Every form of the customer page that posts (resend, password token, change email, note) carries a request
    /// id of its own, new on each rendering.
    func testEveryFormThatPostsFromTheCustomerPageCarriesARequestIdOfItsOwn() throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        let ids = { () throws -> [String: String] in
            let html = try fixture.get("/backoffice/customers/\(reference)").html
            let pattern = try NSRegularExpression(pattern: #"<form method="post" action="([^"]+)""#)
            let actions = pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) }
            var ids: [String: String] = [:]
            for action in actions where action.hasPrefix("/backoffice/customers/") {
                ids[action] = HTMLFacts.hiddenFields(ofFormTo: action, in: html).first { $0.0 == "_request" }?.1 ?? ""
            }
            return ids
        }
        let first = try ids()
        XCTAssertEqual(Set(first.keys), Set(["resend-verification", "password-token", "email", "note"].map { "/backoffice/customers/\(reference)/\($0)" }))
        XCTAssertTrue(first.values.allSatisfy { $0.count == 36 }, "a request id in every form: \(first)")
        XCTAssertEqual(Set(first.values).count, first.count, "one id per form")
        let second = try ids()
        XCTAssertTrue(first.keys.allSatisfy { first[$0] != second[$0] }, "new ids on each rendering")
    }

    /// Resend verification posted twice from one rendering of the page (double click, back button and again):
    /// the same answer, one verification email. A new rendering carries a new request id and queues a second.
    func testResendVerificationPostedTwiceFromOneRenderingQueuesOneEmailAndANewRenderingQueuesAnother() throws {
        try assertOneOutcomePerRendering(action: "resend-verification", flash: "verification-queued", queues: ["verification"])
    }

    /// Send password token posted twice from one rendering: the same answer, one password-set email; a new
    /// rendering sends another.
    func testSendPasswordTokenPostedTwiceFromOneRenderingQueuesOneTokenAndANewRenderingQueuesAnother() throws {
        try assertOneOutcomePerRendering(action: "password-token", flash: "password-token-queued", queues: ["password-set"])
    }

    /// Change email posted twice from one rendering: the same answer, one change requested (one confirmation,
    /// one notice); the same address from a new rendering requests the change again.
    func testChangeEmailPostedTwiceFromOneRenderingRequestsOneChangeAndANewRenderingRequestsAnother() throws {
        try assertOneOutcomePerRendering(
            action: "email", fields: [("email", "anna.new@example.com")], flash: "email-change", queues: ["email-change", "email-change-notice"])
    }

    /// Posts the customer page's form to `action` as a browser does: twice with what one rendering carries, then
    /// once from a fresh rendering. Only the first and the third act: one event and `kinds` queued each time.
    private func assertOneOutcomePerRendering(
        action: String, fields: [(String, String)] = [], flash: String, queues kinds: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let fixture = try PagesFixture()
        let reference = try fixture.createCustomer("anna@example.com")
        let page = "/backoffice/customers/\(reference)"
        let path = "\(page)/\(action)"
        let counts = { () throws -> (events: Int, emails: [String]) in
            let emails = try fixture.service.outboxEntries().filter { $0.reference == reference }.map(\.kind.rawValue)
            return (try fixture.service.history(of: reference).count, emails.sorted())
        }
        let rendering = { () throws -> [(String, String)] in
            let hidden = HTMLFacts.hiddenFields(ofFormTo: path, in: try fixture.get(page).html)
            let ids = hidden.filter { $0.0 == "_request" }.map(\.1)
            XCTAssertEqual(ids.count, 1, "the form carries one request id: \(hidden)", file: file, line: line)
            XCTAssertNotNil(ids.first?.range(of: #"^[0-9a-f-]{36}$"#, options: .regularExpression), "a random id: \(ids)", file: file, line: line)
            return hidden + fields
        }
        let start = try counts()
        let form = try rendering()

        let first = try fixture.post(path, form)
        XCTAssertEqual(first.location, "\(page)?done=\(flash)", file: file, line: line)
        let once = try counts()
        XCTAssertEqual(once.events, start.events + 1, "one event", file: file, line: line)
        XCTAssertEqual(once.emails, (start.emails + kinds).sorted(), "queued by the first post", file: file, line: line)

        let again = try fixture.post(path, form)
        XCTAssertEqual(again.status, first.status, "the same answer", file: file, line: line)
        XCTAssertEqual(again.location, first.location, "the same answer", file: file, line: line)
        XCTAssertEqual(try counts().events, once.events, "no second event", file: file, line: line)
        XCTAssertEqual(try counts().emails, once.emails, "no second email", file: file, line: line)

        let next = try rendering()
        XCTAssertNotEqual(next.map(\.1), form.map(\.1), "a new rendering, a new request id", file: file, line: line)
        XCTAssertEqual(try fixture.post(path, next).location, first.location, file: file, line: line)
        let twice = try counts()
        XCTAssertEqual(twice.events, once.events + 1, "the new rendering acts again", file: file, line: line)
        XCTAssertEqual(twice.emails, (once.emails + kinds).sorted(), "and queues again", file: file, line: line)
    }
}
