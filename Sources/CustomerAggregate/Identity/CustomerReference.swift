/// The human-facing customer number, `<PREFIX>--<n>` (e.g. `DE--12`), as the commerce platform shows it.
///
/// The prefix is kept in upper case (ASCII letters are upper-cased on the way in) so that `de--12` typed on the
/// command line, `DE--12` in an import file and a prefix configured as `de` all name the same customer.
public struct CustomerReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let separator = "--"
    /// The longest prefix the `reference-prefix` setting accepts.
    public static let maximumPrefixLength = 20

    public let prefix: String
    public let number: UInt64

    public init(prefix: String, number: UInt64) {
        self.prefix = prefix.uppercased()
        self.number = number
    }

    public var description: String { "\(prefix)\(Self.separator)\(number)" }

    /// Parses `<PREFIX>--<n>`: a prefix of 1–20 ASCII letters, digits or `_` (any case), then `--`, then a
    /// decimal number ≥ 1. Surrounding whitespace is ignored; anything else yields `nil`.
    public static func parse(_ text: String) -> CustomerReference? {
        let trimmed = text.trimmed()
        guard let range = trimmed.range(of: separator) else { return nil }
        let prefix = String(trimmed[trimmed.startIndex..<range.lowerBound])
        let digits = trimmed[range.upperBound...]
        guard isValidPrefix(prefix) else { return nil }
        guard String(digits).isASCIIDigits,
              let number = UInt64(digits), number >= 1
        else { return nil }
        return CustomerReference(prefix: prefix, number: number)
    }

    /// 1–20 ASCII letters, digits or `_`: the rule of the `reference-prefix` setting, shared so that every prefix
    /// the store can be configured with also parses back.
    public static func isValidPrefix(_ prefix: String) -> Bool {
        guard (1...maximumPrefixLength).contains(prefix.utf8.count) else { return false }
        return prefix.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_")
        }
    }

    /// Orders by prefix, then numerically (so `DE--2` comes before `DE--10`).
    public static func < (lhs: CustomerReference, rhs: CustomerReference) -> Bool {
        (lhs.prefix, lhs.number) < (rhs.prefix, rhs.number)
    }
}
