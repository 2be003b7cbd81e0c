import Foundation

/// The identity of one customer: a UUID chosen by the caller when the customer is created.
///
/// The UUID, not the reference, names the event stream, because a reference is a human-facing number that an
/// import may dictate, while the stream name must be fixed before any event exists.
public struct CustomerID: Hashable, Sendable, CustomStringConvertible {
    public static let streamPrefix = "customer-"

    public let uuid: UUID

    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    /// `customer-<lowercased uuid>`; lowercased so that the name is the same on every platform.
    public var streamName: String { Self.streamPrefix + uuid.uuidString.lowercased() }

    /// Accepts exactly what `streamName` produces (the UUID part in any case), and nothing else.
    public init?(streamName: String) {
        guard streamName.hasPrefix(Self.streamPrefix) else { return nil }
        let text = streamName.dropFirst(Self.streamPrefix.count)
        // Parsed by hand: Foundation's UUID(uuidString:) goes through sscanf and showed up in replay profiles.
        guard let uuid = Self.parseUUID(text.utf8) else { return nil }
        self.uuid = uuid
    }

    public var description: String { uuid.uuidString.lowercased() }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex digits in either case. Accumulates into two integers (no
    /// array per call): every projection parses the stream name of every event it follows.
    static func parseUUID(_ text: Substring.UTF8View) -> UUID? {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var offset = 0
        var digits = 0
        for character in text {
            defer { offset += 1 }
            guard offset < 36 else { return nil }
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
            digits += 1
        }
        guard offset == 36 else { return nil }
        func byte(_ value: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * index)) }
        return UUID(uuid: (byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
                           byte(high, 6), byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3),
                           byte(low, 4), byte(low, 5), byte(low, 6), byte(low, 7)))
    }
}
