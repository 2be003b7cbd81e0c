/// Unpadded base64url (RFC 4648 §5): the alphabet survives URLs, query strings and email
/// line-wrapping without any escaping, which is why tokens use it.
///
/// Decoding is strict on purpose. Each token must have exactly one spelling: a lenient decoder
/// (ignoring padding, stray characters or non-zero trailing bits) would let several different strings
/// map to the same bytes, which makes "a changed token is rejected" untrue and invites confusion in logs.
public enum Base64URL: Sendable {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// ASCII byte -> 6-bit value, or 0xFF for anything outside the alphabet (including '=').
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)

        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int((group >> 18) & 0x3F)])
            output.append(alphabet[Int((group >> 12) & 0x3F)])
            output.append(alphabet[Int((group >> 6) & 0x3F)])
            output.append(alphabet[Int(group & 0x3F)])
            index += 3
        }

        switch bytes.count - index {
        case 1:
            let group = UInt32(bytes[index]) << 16
            output.append(alphabet[Int((group >> 18) & 0x3F)])
            output.append(alphabet[Int((group >> 12) & 0x3F)])
        case 2:
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output.append(alphabet[Int((group >> 18) & 0x3F)])
            output.append(alphabet[Int((group >> 12) & 0x3F)])
            output.append(alphabet[Int((group >> 6) & 0x3F)])
        default:
            break
        }

        return String(decoding: output, as: UTF8.self)
    }

    /// Returns nil for padding, any character outside the base64url alphabet (whitespace included:
    /// trimming is the caller's policy), a length of 4n+1 (cannot encode whole bytes), or
    /// non-zero leftover bits in the final character (a non-canonical spelling).
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count % 4 != 1 else { return nil }

        var output: [UInt8] = []
        output.reserveCapacity(utf8.count * 3 / 4)

        var accumulator: UInt32 = 0
        var bitCount = 0
        for character in utf8 {
            let value = decodeTable[Int(character)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }

        // 0, 2 or 4 bits remain; a canonical encoder always leaves them zero.
        guard accumulator == 0 else { return nil }
        return output
    }
}
