import CompactCodec

/// The stored and readable forms of `SettingChanged`, a family of one type.
///
/// v1 payload: key string (the `SettingKey` raw value) · value string (canonical text).
extension SettingChanged: EventFamily {
    public static let typeName = EventTypeName("SettingChanged")
    public static let types = [typeName]

    /// Store settings are the operator's, never a customer's.
    public var withoutPersonalData: SettingChanged? { nil }

    public var type: EventTypeName { Self.typeName }
    public var schemaVersion: UInt16 { 1 }

    public func encode(into writer: inout ByteWriter) {
        writer.writeString(key.rawValue)
        writer.writeString(value)
    }

    /// A key this version does not know is a `CompactDecodingError` at the key's offset.
    public static func decodePayload(
        _ type: EventTypeName, schemaVersion: UInt16, from reader: inout ByteReader
    ) throws -> SettingChanged? {
        guard schemaVersion == 1 else { return nil }
        let keyOffset = reader.offset
        let rawKey = try reader.readString()
        guard let key = SettingKey(rawValue: rawKey) else {
            throw CompactDecodingError("unknown setting key '\(rawKey)'", offset: keyOffset)
        }
        return SettingChanged(key: key, value: try reader.readString())
    }

    /// `{"key": "locales", "value": "en_US,de_DE"}`.
    public var fields: [EventField] {
        [EventField("key", .string(key.rawValue)), EventField("value", .string(value))]
    }

    public var summary: String { "Setting \(key.rawValue) set to \(value)" }
}
