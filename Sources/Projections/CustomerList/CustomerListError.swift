/// A `list` request that cannot be answered as asked. The CLI reports these as usage errors (exit 2).
public struct CustomerListError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not a cursor this program produced (truncated, mistyped, or from another version).
        case malformedCursor
        /// A valid cursor, but from a list with other options (sort, direction, status filter or search).
        case cursorMismatch
        /// A cursor whose MAC does not match: altered, forged, or made by another store.
        case forgedCursor
        case invalidLimit
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
