import CompactCodec

/// The stored and readable forms of `SettingChanged`, with the same API as `CustomerEvent`'s.
///
/// v1 payload: key string (the `SettingKey` raw value) · value string (canonical text).
extension SettingChanged {
    public static let typeName = "SettingChanged"

    public var typeName: String { Self.typeName }
    public var schemaVersion: UInt16 { 1 }

    public func encodePayload() -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.writeString(key.rawValue)
        writer.writeString(value)
        return writer.bytes
    }

    /// - Throws: `EventDecodingError` for another type or an unknown version; `CompactDecodingError` for malformed
    ///   bytes or a key this version does not know.
    public static func decode(
        typeName: String, schemaVersion: UInt16, payload: UnsafeRawBufferPointer
    ) throws -> SettingChanged {
        guard typeName == Self.typeName else { throw EventDecodingError.unknownType(typeName, schemaVersion) }
        guard schemaVersion == 1 else { throw EventDecodingError.unsupportedVersion(typeName, schemaVersion) }
        var reader = ByteReader(payload)
        let keyOffset = reader.offset
        let rawKey = try reader.readString()
        guard let key = SettingKey(rawValue: rawKey) else {
            throw CompactDecodingError("unknown setting key '\(rawKey)'", offset: keyOffset)
        }
        let value = try reader.readString()
        try reader.expectEnd()
        return SettingChanged(key: key, value: value)
    }

    public static func decode(typeName: String, schemaVersion: UInt16, bytes: [UInt8]) throws -> SettingChanged {
        try bytes.withUnsafeBytes { try decode(typeName: typeName, schemaVersion: schemaVersion, payload: $0) }
    }

    /// `{"key": "locales", "value": "en_US,de_DE"}`.
    public var fields: [EventField] {
        [EventField("key", .string(key.rawValue)), EventField("value", .string(value))]
    }

    public var summary: String { "Setting \(key.rawValue) set to \(value)" }
}
