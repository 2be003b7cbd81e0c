/// A stored event this version cannot read as a domain event: an unknown type name or a schema version newer than
/// the code. (Malformed bytes are reported as `CompactDecodingError` instead, with the offset.)
public struct EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let typeName: String
    public let schemaVersion: UInt16
    public let reason: String

    public init(typeName: String, schemaVersion: UInt16, reason: String) {
        self.typeName = typeName
        self.schemaVersion = schemaVersion
        self.reason = reason
    }

    public var description: String { "cannot decode event \(typeName) v\(schemaVersion): \(reason)" }

    static func unknownType(_ typeName: String, _ version: UInt16) -> EventDecodingError {
        EventDecodingError(typeName: typeName, schemaVersion: version, reason: "unknown event type")
    }

    static func unsupportedVersion(_ typeName: String, _ version: UInt16) -> EventDecodingError {
        EventDecodingError(
            typeName: typeName, schemaVersion: version,
            reason: "unsupported schema version (written by a newer customer-es?)"
        )
    }
}
