import CompactCodec
import Foundation

/// The cursor of a page that walks the log newest first (Audit, Outbox): the log position the next page goes
/// on below, bound to the page's filter and sealed under the store key, so that a cursor copied into another
/// filter's URL, altered, or made by another store is refused rather than silently showing something else.
///
/// base64url of: position (u64 BE) ‖ filter tag (4 bytes: a MAC of the filter alone) ‖ MAC (16 bytes) of the
/// purpose, the position and the tag. The tag lets a refusal tell "another filter" from "not ours". It reveals
/// nothing but a position, which the pages show anyway.
struct LogPageCursor {
    let tokens: TokenCodec
    /// Which page's cursors these are (`audit`, `outbox`): one page's cursor is never another's.
    let purpose: String

    private static let tagByteCount = 4
    private static let macByteCount = 16
    private static let byteCount = 8 + tagByteCount + macByteCount

    func encode(position: UInt64, filter: String) -> String {
        var bytes = [UInt8]()
        appendBigEndian(position, to: &bytes)
        bytes += tag(filter)
        bytes += mac(bytes)
        return Base64URL.encode(bytes)
    }

    /// The position `text` continues below, for a page with `filter`.
    func decode(_ text: String, filter: String) throws(LogCursorError) -> UInt64 {
        guard let bytes = Base64URL.decode(text), bytes.count == Self.byteCount else { throw LogCursorError(.notACursor) }
        let signed = Array(bytes[..<(8 + Self.tagByteCount)])
        guard ConstantTime.equals(Array(bytes[(8 + Self.tagByteCount)...]), mac(signed)) else { throw LogCursorError(.forged) }
        guard Array(signed[8...]) == tag(filter) else { throw LogCursorError(.otherFilter) }
        let position = signed.withUnsafeBytes { readBigEndianUInt64($0) }
        guard position >= 1 else { throw LogCursorError(.notACursor) }
        return position
    }

    private func tag(_ filter: String) -> [UInt8] {
        Array(tokens.authenticationCode(domain: "log-cursor-filter:\(purpose):", message: Array(filter.utf8)).prefix(Self.tagByteCount))
    }

    private func mac(_ signed: [UInt8]) -> [UInt8] {
        Array(tokens.authenticationCode(domain: "log-cursor:\(purpose):", message: signed).prefix(Self.macByteCount))
    }
}

/// A cursor of a log page (Audit, Outbox) that cannot be followed: each front end says so in its own words
/// (the back office shows the first page with why, the API answers 400). `message` names no front end's options.
public struct LogCursorError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        /// Not a cursor at all: truncated, mistyped, or from another version.
        case notACursor
        /// Altered, forged, or made by another store.
        case forged
        /// A cursor of this store, made for another filter.
        case otherFilter
    }

    public let reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    public var message: String {
        switch reason {
        case .notACursor: return "the cursor is not a cursor of this page (it must be the one a previous page linked to, copied whole); start over without it"
        case .forged: return "the cursor was not made by this store (it was altered, forged or comes from another store); start over without it"
        case .otherFilter: return "the cursor belongs to another filter; repeat the filter of the first page, or start over without the cursor"
        }
    }

    public var description: String { message }
}
