import BackOffice
import CustomerAggregate
import CustomerService
import Foundation
import HTTPServer
import XCTest

/// Operators (admins only): the list, adding one under the password policy (problems beside the fields, the
/// password never sent back), disabling one, never oneself from here.
final class OperatorsPageTests: XCTestCase {
    static let password = "Tangerine-Orbit-7731"

    func testAdminsListAddAndDisableOperatorsAndOthersCannot() throws {
        let fixture = try PagesFixture()
        _ = try fixture.service.addOperator(name: "alice", role: .admin, password: Self.password, metadata: CommandMetadata(actor: "test"))
        XCTAssertEqual(try fixture.get("/backoffice/operators", as: .agent).status, .forbidden)
        XCTAssertEqual(try fixture.post("/backoffice/operators", [("name", "bob"), ("role", "agent"), ("password", Self.password)], as: .agent).status, .forbidden)
        let page = try fixture.get("/backoffice/operators", as: .admin)
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(HTMLFacts.bodyRows(ofTable: "operators", in: page.html).first?.hasPrefix("alice|admin|") == true)
        XCTAssertFalse(page.html.contains("action=\"/backoffice/operators/disable\""), "no Disable for oneself")

        let weak = try fixture.post("/backoffice/operators", [("name", "bob"), ("role", "agent"), ("password", "short")], as: .admin)
        XCTAssertEqual(weak.status, .unprocessableContent)
        XCTAssertTrue(weak.html.contains("aria-describedby=\"operator-password-problems\""), weak.html)
        XCTAssertTrue(weak.html.contains("value=\"bob\""), "the name is kept")
        XCTAssertFalse(weak.html.contains("value=\"short\""), "the password is never sent back")

        let added = try fixture.post("/backoffice/operators", [("name", "bob"), ("role", "viewer"), ("password", Self.password)], as: .admin)
        XCTAssertEqual(added.location, "/backoffice/operators?done=operator-added")
        XCTAssertEqual(try fixture.service.operators().first { $0.name == "bob" }?.role, .viewer)
        let disabled = try fixture.post("/backoffice/operators/disable", [("name", "bob")], as: .admin)
        XCTAssertEqual(disabled.location, "/backoffice/operators?done=operator-disabled")
        XCTAssertNotNil(try fixture.service.operators().first { $0.name == "bob" }?.disabledAt)
        XCTAssertTrue(try fixture.get("/backoffice/operators?done=operator-disabled", as: .admin).html.contains("The operator was disabled"))
    }
}
