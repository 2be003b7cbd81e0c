import CompactCodec
import CustomerAggregate
import CustomerService
import EventStore
import Foundation
import TestSupport
import XCTest

/// `directory.reference` keys references by number (format 4) so that new customers append at the table's right
/// edge and no counter is rewritten per create; older stores' text keys keep reading, verify clean, and
/// `migrate` rewrites them to the bytes a rebuild writes.
final class ReferenceKeyTests: XCTestCase {
    static let metadata = CommandMetadata(actor: "test")
    static let references = TableSpec("directory.reference")
    static let counters = TableSpec("directory.counters")

    static func form(_ index: Int) -> CustomerForm {
        CustomerForm(email: "customer\(index)@example.com", salutation: "Ms", firstName: "Maria", lastName: "Williams\(index)")
    }

    static func numberedKey(_ number: UInt64, _ prefix: String) -> [UInt8] {
        [0] + BigEndianUInt64(number).bytes + Array(prefix.utf8)
    }

    static func entries(_ table: TableSpec, in service: CustomerService) throws -> [[UInt8]: [UInt8]] {
        try service.store.read { reader in
            var found: [[UInt8]: [UInt8]] = [:]
            try reader.withCursor(reader.table(table)) { cursor in
                var positioned = try cursor.first()
                while positioned {
                    found[Array(cursor.key)] = Array(cursor.value)
                    positioned = try cursor.next()
                }
            }
            return found
        }
    }

    func testReferencesAreKeyedByNumberWithoutACounterAndOnlyTheirOwnSpellingFindsThem() throws {
        let folder = TemporaryDirectory("reference-keys")
        let service = try CustomerService(directory: folder.url)
        for index in 1...2 { _ = try service.create(Self.form(index), sendPasswordToken: false, metadata: Self.metadata) }
        _ = try service.changeSetting("reference-prefix", to: "xy", metadata: Self.metadata)
        let third = try service.create(Self.form(3), sendPasswordToken: false, metadata: Self.metadata)
        XCTAssertEqual(third.reference, "XY--3", "a prefix change continues the numbers")

        let keys = try Self.entries(Self.references, in: service).keys.sorted { $0.lexicographicallyPrecedes($1) }
        XCTAssertEqual(keys, [Self.numberedKey(1, "DE"), Self.numberedKey(2, "DE"), Self.numberedKey(3, "XY")])
        XCTAssertEqual(try Self.entries(Self.counters, in: service).count, 0, "the last key holds the last number")
        XCTAssertEqual(try service.store.read { try $0.recordedFormatVersion() }, 4)

        XCTAssertEqual(try service.customer("de--2").1.reference?.description, "DE--2")
        XCTAssertEqual(try service.customer(" XY--3 ").0, third.customerId)
        for other in ["DE--02", "DE--3", "XY--1", "DE-2", "DE--"] {
            XCTAssertThrowsError(try service.customer(other), other) { error in
                XCTAssertEqual((error as? DomainError)?.code, .customerNotFound, other)
            }
        }
        XCTAssertTrue(try service.verifyProjections().isConsistent)
    }

    /// A store of format 3 (simulated: the keys and counter rewritten as a build of format 3 wrote them).
    func testTextKeysOfAnOlderStoreReadVerifyCleanAndMigrateToWhatARebuildWrites() throws {
        let folder = TemporaryDirectory("reference-keys-legacy")
        let service = try CustomerService(directory: folder.url)
        var ids: [CustomerID] = []
        for index in 1...2 {
            ids.append(try XCTUnwrap(try service.create(Self.form(index), sendPasswordToken: false, metadata: Self.metadata).customerId))
        }
        try service.store.write { writer in
            let references = writer.table(Self.references)
            for (offset, id) in ids.enumerated() {
                _ = try writer.delete(references, Self.numberedKey(UInt64(offset + 1), "DE"))
                try writer.put(references, Array("DE--\(offset + 1)".utf8), id.uuid.bytes)
            }
            try writer.put(writer.table(Self.counters), Array("last-reference-number".utf8), BigEndianUInt64(2))
            try writer.recordFormatVersion(3)
        }
        XCTAssertEqual(try service.customer("DE--2").0, ids[1], "text keys still read")
        XCTAssertTrue(try service.verifyProjections().isConsistent, "the same references in the older layout")

        let third = try service.create(Self.form(3), sendPasswordToken: false, metadata: Self.metadata)
        XCTAssertEqual(third.reference, "DE--3", "the counter of the older store continues")
        XCTAssertEqual(try service.store.read { try $0.recordedFormatVersion() }, 4, "builds of format 3 now refuse it")
        XCTAssertTrue(try service.verifyProjections().isConsistent, "both layouts side by side")

        // A text key pointing at the wrong customer is a difference (the comparison by content still compares).
        try service.store.write { try $0.put($0.table(Self.references), Array("DE--1".utf8), ids[1].uuid.bytes) }
        let wrong = try service.verifyProjections()
        XCTAssertEqual(wrong.differences.map(\.table), ["directory.reference"])
        try service.store.write { try $0.put($0.table(Self.references), Array("DE--1".utf8), ids[0].uuid.bytes) }

        try service.store.write { try $0.recordFormatVersion(3) }
        let report = try service.migrate()
        XCTAssertEqual(report.fromFormat, 3)
        XCTAssertEqual(report.rewrittenReferenceKeys, 2)
        let migrated = try Self.entries(Self.references, in: service)
        XCTAssertEqual(Set(migrated.keys), [Self.numberedKey(1, "DE"), Self.numberedKey(2, "DE"), Self.numberedKey(3, "DE")])
        XCTAssertEqual(try Self.entries(Self.counters, in: service).count, 0)
        XCTAssertEqual(try service.customer("DE--1").0, ids[0])
        XCTAssertEqual(try service.create(Self.form(4), sendPasswordToken: false, metadata: Self.metadata).reference, "DE--4")

        // What a rebuild writes into the other table set is what the migrated table holds.
        let beforeRebuild = try Self.entries(Self.references, in: service)
        _ = try service.rebuildProjections()
        let rebuilt = try Self.entries(TableSpec("directory.reference.shadow"), in: service)
        XCTAssertEqual(rebuilt, beforeRebuild)
        XCTAssertEqual(try service.migrate().rewrittenReferenceKeys, 0, "idempotent")
    }
}
