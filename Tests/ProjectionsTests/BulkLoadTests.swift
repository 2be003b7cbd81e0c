import CustomerAggregate
import EventStore
import Foundation
@testable import Projections
import XCTest

/// The pieces of the rebuild's bulk path that replace general code with faster, narrower code: each must give
/// exactly what the general code gives (or step aside), and a bulk rebuild of an unusual log must be byte for
/// byte the projection the incremental path keeps.
final class BulkLoadTests: XCTestCase {
    // MARK: Text

    func testByteFoldingEqualsFoldingThroughString() {
        // Every scalar below U+0300, alone and next to a few others (the table must not depend on context).
        let neighbours: [Unicode.Scalar] = ["A", "z", "\u{C0}", "\u{130}", "\u{149}", "\u{1C5}", "\u{2FF}", "\u{300}", "\u{3A3}"]
        for value in 0..<0x300 {
            let scalar = Unicode.Scalar(UInt32(value))!
            for neighbour in neighbours {
                for text in [String(scalar), String(scalar) + String(neighbour), String(neighbour) + String(scalar)] {
                    XCTAssertEqual(TextFolding.fold(text), TextFolding.foldThroughString(text), "U+\(String(value, radix: 16))")
                }
            }
        }
        // Random text from Latin, combining marks, Greek (final sigma), Turkish, CJK and emoji.
        let pool: [Unicode.Scalar] = (0x20..<0x300).compactMap(Unicode.Scalar.init) + [
            "\u{301}", "\u{308}", "\u{3A3}", "\u{3C2}", "\u{130}", "\u{131}", "\u{1E9E}", "\u{FB03}", "\u{4E2D}",
            "\u{1F600}", "\u{212A}", "\u{2126}", "\u{10400}",
        ]
        var random = SeededRandom(seed: 5)
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<(1 + random.next(24)) { text.unicodeScalars.append(pool[random.next(pool.count)]) }
            XCTAssertEqual(TextFolding.fold(text), TextFolding.foldThroughString(text), text)
        }
        XCTAssertEqual(TextFolding.fold(""), [])
        // Case and accents are ignored (issue 9.21: `muller` finds `Müller`); the accents stay in `lowercased`.
        XCTAssertEqual(TextFolding.fold("Ann-Marie MÜLLER İz Ørsted Straße Æsir"), Array("ann-marie muller iz orsted strasse aesir".utf8))
        XCTAssertEqual(TextFolding.lowercased("Ann-Marie MÜLLER İz"), Array("ann-marie müller i̇z".utf8))
    }

    func testUTF8ValidationMeansStringDecodingKeepsTheBytes() {
        var random = SeededRandom(seed: 9)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF]
        for round in 0..<50_000 {
            let count = random.next(7)
            let bytes = (0..<count).map { _ in round % 2 == 0 ? interesting[random.next(interesting.count)] : UInt8(random.next(256)) }
            let kept = Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
            bytes.withUnsafeBufferPointer { buffer in
                let valid = TextFolding.isValidUTF8(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, count)
                XCTAssertEqual(valid, kept, "\(bytes)")
            }
        }
    }

    // MARK: Streams

    func testStreamKeysAreExactlyTheCanonicalCustomerStreams() {
        for _ in 0..<2000 {
            let id = CustomerID(UUID())
            let name = id.streamName
            let key = name.utf8CString.withUnsafeBytes { StreamOrdinals.key(of: UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
            let uuid = withUnsafeBytes(of: id.uuid.uuid) { Array($0) }
            let expected = StreamOrdinals.Key(
                high: uuid[0..<8].reduce(0) { $0 << 8 | UInt64($1) }, low: uuid[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
            XCTAssertEqual(key, expected, name)
        }
        let valid = "customer-0123abcd-4567-89ef-0a1b-2c3d4e5f6789"
        XCTAssertNotNil(Self.key(valid))
        for other in [
            valid.uppercased(), "Customer-0123abcd-4567-89ef-0a1b-2c3d4e5f6789", "customer-0123abcd-4567-89ef-0a1b-2c3d4e5f678",
            "customer-0123abcd-4567-89ef-0a1b-2c3d4e5f67890", "customer-0123abcd_4567-89ef-0a1b-2c3d4e5f6789",
            "customer-0123abcg-4567-89ef-0a1b-2c3d4e5f6789", "customer-0123abcd-4567-89ef-0a1b-2c3d4e5f678G",
            "customer-0123abcd-4567-89ef-0a1b-2c3d4e5f678:", "customer-0123abcd-4567-89ef-0a1b-2c3d4e5f678/",
            "customer-0123abcd-4567-89ef-0a1b-2c3d4e5f678`", "customer-0123ABCD-4567-89ef-0a1b-2c3d4e5f6789", "settings",
            "customer-0123abcd-4567-89ef-0a1b-2c3d4e5f678\u{E9}",
        ] {
            XCTAssertNil(Self.key(other), other)
        }
    }

    private static func key(_ name: String) -> StreamOrdinals.Key? {
        Array(name.utf8).withUnsafeBytes { StreamOrdinals.key(of: $0) }
    }

    func testStreamOrdinalsFindWhatWasSetAndNothingElse() {
        let table = StreamOrdinals(expected: 10)  // grows several times
        var random = SeededRandom(seed: 3)
        var keys: [StreamOrdinals.Key] = []
        for ordinal in 0..<50_000 {
            let key = StreamOrdinals.Key(high: random.nextUInt64(), low: ordinal % 7 == 0 ? 0 : random.nextUInt64())
            keys.append(key)
            table.set(key, Int32(ordinal))
        }
        for (ordinal, key) in keys.enumerated() { XCTAssertEqual(table[key], Int32(ordinal)) }
        for _ in 0..<10_000 { XCTAssertNil(table[StreamOrdinals.Key(high: random.nextUInt64(), low: random.nextUInt64())]) }
        table.set(keys[5], 60_000)  // a later mapping replaces an earlier one
        XCTAssertEqual(table[keys[5]], 60_000)
        XCTAssertEqual(table[keys[6]], 6)
    }

    // MARK: Payloads and rows

    func testCustomerCreatedViewIsTheRowProfile() throws {
        let profiles = [
            CustomerProfile(email: "Maria@Example.com", salutation: .ms, firstName: "María", lastName: "Ørsted", locale: "en_US"),
            CustomerProfile(
                email: "x@y.de", salutation: .notApplicable, firstName: "Zoë", lastName: "Straße", gender: .female,
                dateOfBirth: CalendarDate(year: 1984, month: 2, day: 29), phone: "+49 30 1234", company: "Müller & Söhne",
                locale: "de_DE"),
            CustomerProfile(email: "a@b.c", salutation: .dr, firstName: "", lastName: "Ng", gender: .male, phone: "", locale: "fr"),
        ]
        for (index, profile) in profiles.enumerated() {
            let created = CustomerCreated(
                customerId: CustomerID(UUID()), reference: CustomerReference(prefix: ["DE", "xy_9", "A"][index], number: [1, 300, 1 << 40][index]),
                profile: profile, createdAt: Date(timeIntervalSince1970: 1_780_000_000.123456), origin: index == 1 ? .import : .backOffice)
            let payload = CustomerEvent.created(created).encodePayload()
            try payload.withUnsafeBytes { bytes in
                let view = try XCTUnwrap(CustomerCreatedView(v1: bytes))
                var profileBytes = [CustomerRowCodec.format] + Array(bytes[0..<view.createdAtOffset])
                for offset in view.prefix where profileBytes[1 + offset] >= 0x61 && profileBytes[1 + offset] <= 0x7A {
                    profileBytes[1 + offset] -= 0x20
                }
                XCTAssertEqual(profileBytes, CustomerRowCodec.encodeProfile(CustomerRow(created: created, sequence: 7)))
                XCTAssertEqual(view.referenceNumber, created.reference.number)
                guard case .created(let decoded) = try CustomerEvent.decode(typeName: "CustomerCreated", schemaVersion: 1, payload: bytes) else {
                    return XCTFail("not a creation")
                }
                XCTAssertEqual(Date(timeIntervalSince1970: Double(view.createdAtMicroseconds) / 1_000_000), decoded.createdAt)
            }
        }
        // Anything the decoder refuses, and the non-canonical varints it accepts, are not read in place.
        let good = RawCreated().bytes
        XCTAssertNotNil(good.withUnsafeBytes { CustomerCreatedView(v1: $0) })
        var unusual: [[UInt8]] = [RawCreated(lengthPadding: true).bytes, good + [0], Array(good.dropLast())]
        var badSalutation = RawCreated()
        badSalutation.salutation = 9
        var badDate = RawCreated()
        badDate.dateOfBirth = (2023, 2, 29)
        var badOrigin = RawCreated()
        badOrigin.origin = 3
        unusual += [badSalutation.bytes, badDate.bytes, badOrigin.bytes]
        for bytes in unusual { XCTAssertNil(bytes.withUnsafeBytes { CustomerCreatedView(v1: $0) }, "\(bytes)") }
        XCTAssertNoThrow(try CustomerEvent.decode(typeName: "CustomerCreated", schemaVersion: 1, bytes: RawCreated(lengthPadding: true).bytes))
    }

    func testEmailVerifiedViewReadsWhatTheDecoderReads() throws {
        for token in [nil, UUID()] {
            let verified = EmailVerified(verifiedAt: Date(timeIntervalSince1970: -12.000_001), tokenId: token)
            let payload = CustomerEvent.emailVerified(verified).encodePayload()
            let view = try XCTUnwrap(payload.withUnsafeBytes { EmailVerifiedView(v1: $0) })
            XCTAssertEqual(Date(timeIntervalSince1970: Double(view.verifiedAtMicroseconds) / 1_000_000), verified.verifiedAt)
            XCTAssertNil((payload + [0]).withUnsafeBytes { EmailVerifiedView(v1: $0) })
            XCTAssertNil(payload.dropLast().withUnsafeBytes { EmailVerifiedView(v1: $0) })
        }
    }

    func testRawStatusEncodingIsAppendStatus() {
        var random = SeededRandom(seed: 11)
        let target = UnsafeMutablePointer<UInt8>.allocate(capacity: CustomerRowCodec.maximumStatusCount)
        defer { target.deallocate() }
        for _ in 0..<5000 {
            let created = Date(timeIntervalSince1970: Double(Int64(random.nextUInt64() % 4_000_000_000_000_000) - 1_000_000_000_000_000) / 1_000_000)
            let verified: Date? = random.next(2) == 0 ? nil : created + Double(random.next(1_000_000_000)) / 7
            let status: CustomerStatus = verified == nil ? .unverified : .verified
            var expected: [UInt8] = []
            CustomerRowCodec.appendStatus(status, createdAt: created, verifiedAt: verified, to: &expected)
            let count = CustomerRowCodec.writeStatus(status, createdAt: created, verifiedAt: verified, to: target)
            XCTAssertEqual(Array(UnsafeBufferPointer(start: target, count: count)), expected)
        }
    }

    // MARK: Sorting

    func testColumnSortIsMemcmpOrderThenEntryOrder() {
        var random = SeededRandom(seed: 17)
        let stems = ["", "a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq", "zz", "\u{1}"]
        for size in [0, 1, 5, 200, 3000] {
            var column = ByteColumn(keepsHeads: true)
            var strings: [[UInt8]] = []
            for _ in 0..<size {
                var bytes = Array(stems[random.next(stems.count)].utf8)
                for _ in 0..<random.next(4) { bytes.append(UInt8(1 + random.next(3) * 60 + random.next(2))) }
                if random.next(3) == 0 { bytes += Array(stems[random.next(stems.count)].utf8) }
                strings.append(bytes)
                column.append(bytes)
            }
            let entries = (0..<size).filter { _ in random.next(4) != 0 }.map(Int32.init)
            let expected = entries.sorted { lhs, rhs in
                let order = compareBytes(strings[Int(lhs)], strings[Int(rhs)])
                return order != 0 ? order < 0 : lhs < rhs
            }
            XCTAssertEqual(ColumnSort.sorted(entries, by: column), expected, "size \(size)")
        }
    }

    // MARK: Whole rebuilds

    /// Events the decider never writes but a log may hold (older writers, hand-made imports): the bulk path must
    /// either read them as the incremental path does or leave them to it.
    func testBulkRebuildOfUnusualEventsEqualsTheIncrementalProjection() throws {
        let fixture = try CustomerFixture()
        try fixture.create(CustomerListTests.forms(count: 150, seed: 23))
        try fixture.create([
            CustomerFixture.form("Zoe\u{308}", "ΣΟΦΙΑ ΟΔΥΣΣΕΑΣ", "zoe@example.com"),
            CustomerFixture.form("İlker", "Ǆokić", "ilker@example.com", company: "Ⅻ Ltd"),
            CustomerFixture.form("中文", "😀 Smile", "cjk@example.com"),
        ])
        var random = SeededRandom(seed: 29)
        var raw: [RawCreated] = []
        var created = RawCreated()
        created.prefix = Array("de".utf8)  // a lower-case prefix (upper-cased by the decoder)
        raw.append(created)
        raw.append(RawCreated(lengthPadding: true))  // a non-shortest length
        created = RawCreated()
        created.lastName = [0x4D, 0xFF, 0xFE, 0x72]  // not UTF-8
        raw.append(created)
        created = RawCreated()
        created.company = [0xC3, 0x28]  // not UTF-8
        raw.append(created)
        created = RawCreated()
        created.prefix = Array("Üx".utf8)  // non-ASCII prefix
        raw.append(created)
        created = RawCreated()
        created.firstName = Array(String(repeating: "é", count: 250).utf8) + [0x41]  // over the 400-byte collation
        created.lastName = [0x41, 0x00, 0x42]  // a NUL byte
        raw.append(created)
        created = RawCreated()
        created.email = Array(String(repeating: "ab", count: 300).utf8)
        raw.append(created)
        for index in raw.indices { raw[index].number = 10_000 + UInt64(index) }

        try fixture.store.write { writer in
            for (index, customer) in raw.enumerated() {
                // Customer streams, a non-canonical (upper-case) one and one that is not a customer stream at all.
                let stream = switch index % 3 {
                case 0: CustomerID(UUID()).streamName
                case 1: "customer-" + UUID().uuidString.uppercased()
                default: "legacy-\(index)"
                }
                try writer.append(
                    [EventData(type: "CustomerCreated", schemaVersion: 1, metadata: EventMetadata(actor: "old"), payload: customer.bytes)],
                    to: StreamName(stream), expectedVersion: .noStream)
                if random.next(3) != 0 {
                    // A verification, sometimes with a non-shortest date varint; and a second creation, ignored.
                    let verifiedAt = RawCreated.varint(RawCreated.zigzag(1_780_000_123_456_789), padding: index % 2 == 0)
                    try writer.append(
                        [EventData(type: "EmailVerified", schemaVersion: 1, metadata: EventMetadata(actor: "old"), payload: verifiedAt + [0]),
                         EventData(type: "CustomerCreated", schemaVersion: 1, metadata: EventMetadata(actor: "old"), payload: RawCreated().bytes)],
                        to: StreamName(stream), expectedVersion: .exact(1))
                }
            }
            // A verification of a stream that never had a customer: ignored.
            try writer.append(
                [EventData(type: "EmailVerified", schemaVersion: 1, metadata: EventMetadata(actor: "old"), payload: RawCreated.varint(4) + [0])],
                to: StreamName(CustomerID(UUID()).streamName), expectedVersion: .noStream)
        }
        let ids = try fixture.create(CustomerListTests.forms(count: 40, seed: 31))
        try fixture.verify(Array(ids.prefix(25)))
        let live = try RebuildTests.liveList(fixture.store)
        XCTAssertGreaterThan(live[0].count, 190)

        var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
        rebuilder.bulkReadChunk = 37
        rebuilder.bulkTransactionBytes = 4096  // many small write transactions
        try rebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(fixture.store), live)
        rebuilder.bulkLoad = false
        try rebuilder.rebuild()
        RebuildTests.assertSame(try RebuildTests.liveList(fixture.store), live)
        rebuilder.bulkLoad = true
        rebuilder.bulkCustomerLimit = 170  // full half-way through the unusual events
        XCTAssertTrue(try rebuilder.verify().isConsistent)
    }

    func testAnUndecodableVerificationOfACustomerStopsTheBulkRebuild() throws {
        let fixture = try CustomerFixture()
        let ids = try fixture.create(CustomerListTests.forms(count: 20, seed: 37))
        // Written behind the projection's back (a store opened without it), as a damaged log would hold it.
        let bare = try EventStore(directory: fixture.folder.url)
        try bare.append(
            [EventData(type: "EmailVerified", schemaVersion: 1, metadata: EventMetadata(actor: "x"), payload: [0x80])],
            to: StreamName(ids[3].streamName), expectedVersion: .exact(2))
        let position = try fixture.store.headPosition()
        for bulk in [true, false] {
            var rebuilder = try ProjectionRebuilder(store: fixture.store, catalog: fixture.catalog)
            rebuilder.bulkLoad = bulk
            XCTAssertThrowsError(try rebuilder.rebuild()) { error in
                guard case ProjectionError.undecodableEvent(let at, let type, _) = error else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual(at, position)
                XCTAssertEqual(type, "EmailVerified")
            }
        }
    }
}

/// A `CustomerCreated` v1 payload written by hand, so that tests can make it unusual.
struct RawCreated {
    var id = (0..<16).map { UInt8($0 * 7) }
    var prefix = Array("DE".utf8)
    var number: UInt64 = 42
    var email = Array("Raw.Customer@Example.com".utf8)
    var salutation: UInt8 = 2
    var firstName = Array("Åsa".utf8)
    var lastName = Array("Raw".utf8)
    var gender: UInt8 = 0
    var dateOfBirth: (UInt64, UInt8, UInt8)? = (1990, 12, 31)
    var phone: [UInt8]? = nil
    var company: [UInt8]? = Array("ACME".utf8)
    var locale = Array("en_US".utf8)
    var createdAt: Int64 = 1_780_000_000_000_001
    var origin: UInt8 = 1
    /// Lengths written with one byte more than needed (a varint the decoder accepts, `ByteWriter` never writes).
    var lengthPadding = false

    init(lengthPadding: Bool = false) { self.lengthPadding = lengthPadding }

    var bytes: [UInt8] {
        var out = id
        func string(_ bytes: [UInt8]) { out += Self.varint(UInt64(bytes.count), padding: lengthPadding) + bytes }
        string(prefix)
        out += Self.varint(number)
        string(email)
        out.append(salutation)
        string(firstName)
        string(lastName)
        out.append(gender)
        if let (year, month, day) = dateOfBirth {
            out += [1] + Self.varint(year) + [month, day]
        } else {
            out.append(0)
        }
        for optional in [phone, company] {
            if let optional {
                out.append(1)
                string(optional)
            } else {
                out.append(0)
            }
        }
        string(locale)
        out += Self.varint(Self.zigzag(createdAt))
        out.append(origin)
        return out
    }

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    static func varint(_ value: UInt64, padding: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        if padding {
            bytes.append(UInt8(remaining) | 0x80)
            bytes.append(0)
        } else {
            bytes.append(UInt8(remaining))
        }
        return bytes
    }
}
