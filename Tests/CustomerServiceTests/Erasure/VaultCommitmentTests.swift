import CompactCodec
import CustomerAggregate
import CustomerService
import EventStore
import Foundation
import TestSupport
import XCTest

/// The log stays verifiable: `rebuild --verify` checks every vault entry against its event's salted commitment.
final class VaultCommitmentTests: XCTestCase {
    func testVerifyFindsAVaultEntryThatNoLongerMatchesItsCommitment() throws {
        let folder = TemporaryDirectory("vault-commitment")
        let service = try CustomerService(directory: folder.url)
        let form = CustomerForm(email: "maria@example.com", salutation: "Ms", firstName: "Maria", lastName: "Williams")
        _ = try service.create(form, sendPasswordToken: false, metadata: CommandMetadata(actor: "test"))
        XCTAssertTrue(try service.verifyProjections().isConsistent)
        XCTAssertEqual(try service.store.read { try $0.vaultEntryCount() }, 1, "the creation is sealed")

        // Someone changes the personal payload behind the log's back (the same length, one letter).
        try service.store.write { writer in
            let vault = writer.table(TableSpec("vault"))
            var entry = try XCTUnwrap(try writer.get(vault, BigEndianUInt64(1)) { Array($0) })
            let name = Array("Maria".utf8)
            let at = try XCTUnwrap((0...(entry.count - name.count)).first { Array(entry[$0..<$0 + name.count]) == name })
            entry[at] = UInt8(ascii: "N")
            try writer.put(vault, BigEndianUInt64(1), entry)
        }
        let report = try service.verifyProjections()
        XCTAssertFalse(report.isConsistent)
        XCTAssertEqual(report.differences.filter { $0.table == "vault" }.map(\.key), [[0, 0, 0, 0, 0, 0, 0, 1]])
    }
}
