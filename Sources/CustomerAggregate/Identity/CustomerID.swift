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

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hex digits in either case.
    static func parseUUID(_ text: Substring.UTF8View) -> UUID? {
        guard text.count == 36 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        var byteIndex = 0
        var high: UInt8?
        for (offset, character) in text.enumerated() {
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
            if let pending = high {
                bytes[byteIndex] = pending << 4 | nibble
                byteIndex += 1
                high = nil
            } else {
                high = nibble
            }
        }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
