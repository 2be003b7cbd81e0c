import CustomerAggregate
import CustomerService
import Foundation
import Projections
import XCTest

/// The stored form of the delivery events: encoded samples of every version are kept here forever, because the log
/// is never rewritten (a change of layout is a new version with its own decoder).
final class OutboxEventCodecTests: XCTestCase {
    static let entryId = UUID(uuidString: "6F1C2A9E-0000-4000-8000-000000000001")!
    /// 2026-11-29T12:00:00Z
    static let instant = Date(timeIntervalSince1970: 1_795_953_600)

    static let sent = OutboxEvent.sent(EmailSent(
        entryId: entryId, attempt: 2, sentAt: instant, transport: "smtp",
        messageId: "6f1c2a9e-0000-4000-8000-000000000001@customer-es", detail: "250 OK"))
    static let failed = OutboxEvent.deliveryFailed(EmailDeliveryFailed(
        entryId: entryId, attempt: 1, failedAt: instant, error: "451 later", nextAttemptAt: instant.addingTimeInterval(30)))
    static let dead = OutboxEvent.dead(EmailDead(
        entryId: entryId, attempts: 0, at: instant, reason: .tokenExpired, message: "token expired"))
    static let requeued = OutboxEvent.requeued(EmailRequeued(entryId: entryId, requeuedAt: instant, previousAttempts: 31))

    /// v1 samples, as written by the first version of the outbox. Never change these strings.
    static let samples: [(type: String, hex: String, event: OutboxEvent)] = [
        ("EmailSent", sentHex, sent),
        ("EmailDeliveryFailed", failedHex, failed),
        ("EmailDead", deadHex, dead),
        ("EmailRequeued", requeuedHex, requeued),
    ]
    static let sentHex = "6f1c2a9e0000400080000000000000010280c0e385a1dab00604736d74703036663163326139652d303030302d343030302d383030302d30303030303030303030303140637573746f6d65722d657306323530204f4b"
    static let failedHex = "6f1c2a9e0000400080000000000000010180c0e385a1dab00609343531206c6174657280ceb1a2a1dab006"
    /// EmailRequeued v1, first written when `outbox retry` was added.
    static let requeuedHex = "6f1c2a9e00004000800000000000000180c0e385a1dab0061f"
    static let deadHex = "6f1c2a9e0000400080000000000000010080c0e385a1dab006030d746f6b656e2065787069726564"

    func testVersion1SamplesDecodeAndEncodeTheSame() throws {
        for sample in Self.samples {
            let bytes = try XCTUnwrap(outboxBytes(fromHex: sample.hex))
            XCTAssertEqual(try OutboxEvent.decode(typeName: sample.type, schemaVersion: 1, bytes: bytes), sample.event, sample.type)
            XCTAssertEqual(outboxHex(sample.event.encodePayload()), sample.hex, sample.type)
            XCTAssertEqual(sample.event.typeName, sample.type)
            XCTAssertEqual(sample.event.schemaVersion, 1)
        }
    }

    func testEveryDeadReasonRoundTripsAndKeepsItsCode() throws {
        let codes: [EmailDead.Reason: UInt8] = [
            .rejected: 1, .attemptsExhausted: 2, .tokenExpired: 3, .tokenSuperseded: 4, .alreadyVerified: 5,
            .customerMissing: 6, .cannotRender: 7, .needsSMTPUTF8: 8,
        ]
        XCTAssertEqual(Set(codes.keys), Set(EmailDead.Reason.allCases))
        for (reason, code) in codes {
            let event = OutboxEvent.dead(EmailDead(entryId: Self.entryId, attempts: 5, at: Self.instant, reason: reason, message: "m"))
            let payload = event.encodePayload()
            // entry id (16) · attempts (1) · date (varint) · reason code · message
            XCTAssertEqual(payload[payload.count - 3], code, "\(reason)")
            XCTAssertEqual(try OutboxEvent.decode(typeName: event.typeName, schemaVersion: 1, bytes: payload), event)
        }
    }

    func testUnknownVersionsTypesAndTrailingBytesAreRefused() throws {
        let payload = Self.sent.encodePayload()
        XCTAssertThrowsError(try OutboxEvent.decode(typeName: "EmailSent", schemaVersion: 2, bytes: payload)) { error in
            XCTAssertTrue("\(error)".contains("newer"), "\(error)")
        }
        XCTAssertThrowsError(try OutboxEvent.decode(typeName: "CustomerCreated", schemaVersion: 1, bytes: payload))
        XCTAssertThrowsError(try OutboxEvent.decode(typeName: "EmailSent", schemaVersion: 1, bytes: payload + [0]))
        XCTAssertThrowsError(try OutboxEvent.decode(typeName: "EmailSent", schemaVersion: 1, bytes: Array(payload.dropLast())))
        var badReason = Self.dead.encodePayload()
        badReason[badReason.count - 15] = 99  // the reason code, before "token expired" (1 + 13 bytes)
        XCTAssertThrowsError(try OutboxEvent.decode(typeName: "EmailDead", schemaVersion: 1, bytes: badReason))
    }

    func testStreamNamesAndMessageIdsCarryTheEntryIdOnly() {
        XCTAssertEqual(OutboxEvent.streamName(forEntry: Self.entryId), "outbox-6f1c2a9e-0000-4000-8000-000000000001")
        XCTAssertEqual(OutboxEntry.messageId(for: Self.entryId), "6f1c2a9e-0000-4000-8000-000000000001@customer-es")
        XCTAssertEqual(Self.sent.entryId, Self.entryId)
        XCTAssertTrue(OutboxEvent.typeNames.isDisjoint(with: CustomerEvent.typeNames))
    }

    func testReadableFormsForEventsAndHistory() {
        XCTAssertEqual(Self.sent.fields.map(\.name), ["entryId", "attempt", "sentAt", "transport", "messageId", "detail"])
        XCTAssertEqual(Self.failed.fields.map(\.name), ["entryId", "attempt", "failedAt", "error", "nextAttemptAt"])
        XCTAssertEqual(Self.dead.fields.map(\.name), ["entryId", "attempts", "at", "reason", "message"])
        XCTAssertEqual(Self.requeued.fields.map(\.name), ["entryId", "requeuedAt", "previousAttempts"])
        XCTAssertEqual(Self.failed.fields.last?.value, .timestamp(Self.instant.addingTimeInterval(30)))
        XCTAssertEqual(Self.sent.summary, "Email <6f1c2a9e-0000-4000-8000-000000000001@customer-es> sent by smtp (attempt 2)")
        XCTAssertTrue(Self.dead.summary.hasPrefix("Email not sent (token-expired)"), Self.dead.summary)
    }
}

func outboxHex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func outboxBytes(fromHex text: String) -> [UInt8]? {
    var result: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        guard let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex), let byte = UInt8(text[index..<next], radix: 16) else { return nil }
        result.append(byte)
        index = next
    }
    return result
}

final class EventCatalogTests: XCTestCase {
    /// The catalog is built from the list of families: every type of every family has a describer.
    func testTheCatalogDescribesEveryTypeOfEveryFamily() {
        let families = EventCatalog.families.flatMap { $0.types.map(\.rawValue) }
        XCTAssertEqual(Set(EventCatalog.describers.keys), Set(families))
        XCTAssertEqual(Set(families), CustomerEvent.typeNames.union(SettingChanged.typeNames).union(OutboxEvent.typeNames).union(AccessEvent.typeNames))
        XCTAssertEqual(families.count, Set(families).count, "a type name belongs to one family")
    }
}
