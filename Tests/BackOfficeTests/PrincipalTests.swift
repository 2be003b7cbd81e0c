import CustomerAggregate
import XCTest

final class PrincipalTests: XCTestCase {
    func testTheActorNameSaysWhetherAnOperatorOrAKeyActed() {
        XCTAssertEqual(Principal(kind: .operatorAccount, name: "alice", role: .agent).actorName, "operator:alice")
        XCTAssertEqual(Principal(kind: .apiKey, name: "crm-sync", role: .viewer).actorName, "api-key:crm-sync")
    }

    func testRolesGrantReadingActingAndAdministeringInOrder() {
        XCTAssertEqual(AccessRole.allCases.filter(\.mayRead), [.admin, .agent, .viewer])
        XCTAssertEqual(AccessRole.allCases.filter(\.mayActOnCustomers), [.admin, .agent])
        XCTAssertEqual(AccessRole.allCases.filter(\.mayAdminister), [.admin])
    }
}
