import CustomerAggregate
import CustomerService
import Foundation
import TestSupport
import XCTest

/// A long-running process (`serve`) erases without compacting: its store must stay usable after `forget`, and
/// the compaction stays pending until a process that is about to exit (or `serve` stopping) runs it.
final class ForgetInALongRunningProcessTests: XCTestCase {
    func testForgetLeavingTheCompactionPendingKeepsTheServiceUsable() throws {
        let folder = TemporaryDirectory("forget-long-running")
        let service = try CustomerService(directory: folder.url)
        let metadata = CommandMetadata(actor: "test")
        let form = CustomerForm(email: "maria@example.com", salutation: "Ms", firstName: "Maria", lastName: "Williams")
        let created = try service.create(form, sendPasswordToken: false, metadata: metadata)
        let reference = try XCTUnwrap(created.reference)

        let report = try service.forget(reference, reason: "asked by phone", metadata: metadata, then: .leavePending)
        XCTAssertEqual(report.compaction, .deferred)
        XCTAssertTrue(service.store.isCompactionPending, "the erased bytes may still sit in free pages")

        // The same service goes on: the freed address can be taken again, reads and verification work.
        let again = try service.create(form, sendPasswordToken: false, metadata: metadata)
        XCTAssertNotEqual(again.reference, reference)
        XCTAssertTrue(try service.verifyProjections().isConsistent)
    }
}
