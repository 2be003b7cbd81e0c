import CompactCodec

/// The vault's layout: one entry per sealed event, under the event's position (no personal data in the key).
enum EventVault {
    static let saltByteCount = 16
    static let commitmentByteCount = 32

    static func entry(salt: [UInt8], payload: [UInt8]) -> [UInt8] { salt + payload }
}
