/// The name/value pairs of a query string or an `application/x-www-form-urlencoded` body, in order; a name may
/// repeat. `+` is a space, `%XX` a byte, and the result must be UTF-8, or parsing fails with 400.
public struct URLEncodedForm: Sendable, Equatable {
    public let pairs: [Pair]

    public struct Pair: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    public init(pairs: [Pair] = []) { self.pairs = pairs }

    /// Parses `a=1&b=&c` (a name without `=` has the empty value; empty pieces between `&` are skipped).
    public init(parsing bytes: ArraySlice<UInt8>, what: String) throws(HTTPError) {
        var pairs: [Pair] = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let name = piece[..<(equals ?? piece.endIndex)]
            let value = equals.map { piece[piece.index(after: $0)...] } ?? []
            pairs.append(Pair(
                name: try PercentDecoding.decode(name, plusIsSpace: true, what: what),
                value: try PercentDecoding.decode(value, plusIsSpace: true, what: what)))
        }
        self.pairs = pairs
    }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
}
