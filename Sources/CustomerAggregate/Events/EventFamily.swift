import CompactCodec

/// The stored name of one event type (the envelope's `type`), declared once as a constant of its family.
///
/// Held as a `StaticString` as well, so that a scan over millions of events can compare it with the stored bytes
/// without making a `String`.
public struct EventTypeName: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public let staticName: StaticString

    public init(_ name: StaticString) {
        staticName = name
        rawValue = name.description
    }

    public var description: String { rawValue }

    public static func == (lhs: EventTypeName, rhs: EventTypeName) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// A set of event types written and read together (the customer's, the settings', the outbox's): one encoder,
/// one decoder and one readable form per family, so that every reader of the log decodes an event the same way
/// and with the same errors.
///
/// The envelope carries the type name and the schema version; the payload is CompactCodec fields in a fixed
/// order per type and version. To change a payload, add a version: keep the old decoder (old events are never
/// rewritten), bump `schemaVersion`, and keep an encoded sample of every version in the tests.
public protocol EventFamily: Sendable {
    /// Every type of the family, as stored.
    static var types: [EventTypeName] { get }
    /// This event's type (one of `types`).
    var type: EventTypeName { get }
    /// The version `encode(into:)` writes.
    var schemaVersion: UInt16 { get }
    func encode(into writer: inout ByteWriter)
    /// The event of type `type` (one of `types`) stored at `schemaVersion`, or nil when this build does not know
    /// that version. Reads every field of the layout; the caller refuses trailing bytes.
    static func decodePayload(_ type: EventTypeName, schemaVersion: UInt16, from reader: inout ByteReader) throws -> Self?
    /// One line for `history`, `audit` and `events`.
    var summary: String { get }
    /// The payload as named fields (camelCase keys in a fixed order): `events --json` / `history --json` `data`.
    var fields: [EventField] { get }
    /// The event with every personal field blanked — names, email, phone, birth date, company, addresses, notes,
    /// free text that may hold them — or nil when it carries none. What the log keeps of an event (the whole
    /// event goes to the store's vault, which erasure empties; `PersonalSeal`), so `forget` leaves no personal
    /// byte in the log. No default: every family, and every type of it, must say (a new case of a family's enum
    /// does not compile until its `switch` here names it).
    var withoutPersonalData: Self? { get }
    /// `summary` of the blanked event, once its personal data is erased.
    var erasedSummary: String { get }
}

extension EventFamily {
    /// The stored names of `types`.
    public static var typeNames: Set<String> { Set(types.map(\.rawValue)) }

    public static func type(named name: String) -> EventTypeName? {
        types.first { $0.rawValue == name }
    }

    public var typeName: String { type.rawValue }

    public var erasedSummary: String { summary + " (personal data erased)" }

    /// The public payload: what the log keeps of this event (nil when it carries no personal data).
    public func encodePublicPayload() -> [UInt8]? {
        withoutPersonalData.map { $0.encodePayload() }
    }

    /// The payload as stored.
    public func encodePayload() -> [UInt8] {
        var writer = ByteWriter(capacity: 128)
        encode(into: &writer)
        return writer.bytes
    }

    /// The one way to read a payload of this family.
    ///
    /// - Throws: `EventDecodingError` for a type that is not of this family or a version this build does not
    ///   know; `CompactDecodingError` for bytes that do not match the layout (including trailing bytes).
    public static func decode(typeName: String, schemaVersion: UInt16, payload: UnsafeRawBufferPointer) throws -> Self {
        guard let type = type(named: typeName) else { throw EventDecodingError.unknownType(typeName, schemaVersion) }
        var reader = ByteReader(payload)
        guard let event = try decodePayload(type, schemaVersion: schemaVersion, from: &reader) else {
            throw EventDecodingError.unsupportedVersion(typeName, schemaVersion)
        }
        try reader.expectEnd()
        return event
    }

    /// `decode(typeName:schemaVersion:payload:)` for bytes held in an array.
    public static func decode(typeName: String, schemaVersion: UInt16, bytes: [UInt8]) throws -> Self {
        try bytes.withUnsafeBytes { try decode(typeName: typeName, schemaVersion: schemaVersion, payload: $0) }
    }
}
