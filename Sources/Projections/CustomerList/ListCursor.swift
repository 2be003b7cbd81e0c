import CompactCodec
import CustomerAggregate
import Foundation

/// Authenticates list cursors with a secret of the store, so that a cursor refers to a row without revealing
/// anything about it and a forged, altered or foreign cursor is refused. Given by the application layer (which
/// holds the store key); `authenticate` is a MAC of at least 16 bytes, `equals` a constant-time comparison.
public struct ListCursorSeal: Sendable {
    let authenticate: @Sendable ([UInt8]) -> [UInt8]
    let equals: @Sendable ([UInt8], [UInt8]) -> Bool

    public init(authenticate: @escaping @Sendable ([UInt8]) -> [UInt8], equals: @escaping @Sendable ([UInt8], [UInt8]) -> Bool) {
        self.authenticate = authenticate
        self.equals = equals
    }

    static let tagCount = 16

    func tag(_ bytes: [UInt8]) -> [UInt8] { Array(authenticate(bytes).prefix(Self.tagCount)) }
}

/// The opaque `nextCursor`: base64url (no padding) of
/// `format (1) ‖ sort code (1) ‖ status filter (1: 0 none, 1 Unverified, 2 Verified) ‖ descending (1) ‖
/// search tag (4) ‖ anchor ‖ MAC (16)`.
///
/// The anchor is the last row of the page by its creation sequence (a log position, no personal data), preceded
/// for the `status` sort by the status code the row had on that page; the row's place in the order is derived
/// again from the row itself. It names a place in the order, not an offset, so rows that other processes add or
/// move while someone pages never make a row that existed all along repeat or go missing. The search tag is a
/// MAC of the folded search (a cursor says whether it belongs to another search without revealing the search),
/// and the final MAC, over everything before it, refuses a forged or altered cursor or one of another store.
enum ListCursor {
    static let format: UInt8 = 2
    static let headerCount = 8

    struct Context: Equatable {
        let sort: CustomerListSort
        let status: CustomerStatus?
        let descending: Bool
        let searchTag: [UInt8]
    }

    static func searchTag(ofSearch folded: [UInt8]?, seal: ListCursorSeal) -> [UInt8] {
        guard let folded else { return [0, 0, 0, 0] }
        return Array(seal.authenticate(Array("search:".utf8) + folded).prefix(4))
    }

    /// What a cursor refers to: the last row of a page.
    struct Anchor: Equatable {
        let sequence: UInt64
        /// The status code of the row where the page saw it (`status` sort only).
        let statusCode: UInt8?
    }

    static func encode(_ context: Context, anchor: Anchor, seal: ListCursorSeal) -> String {
        var bytes: [UInt8] = [
            format, context.sort.code, context.status.map(ListOrderKey.statusCode) ?? 0, context.descending ? 1 : 0,
        ]
        bytes += context.searchTag
        if let code = anchor.statusCode { bytes.append(code) }
        appendBigEndian(anchor.sequence, to: &bytes)
        bytes += seal.tag(bytes)
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The anchor of a cursor, after checking its MAC and that it was made for a list with this `context`.
    static func anchor(of text: String, expecting context: Context, seal: ListCursorSeal) throws(CustomerListError) -> Anchor {
        let malformed = CustomerListError(.notACursor)
        var base64 = text.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        guard !base64.isEmpty, !base64.contains("=") else { throw malformed }
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { throw malformed }
        let bytes = [UInt8](data)
        guard bytes.count > headerCount, bytes[0] == format else { throw malformed }
        // The `status` sort's anchor holds the status code before the sequence.
        let anchorCount = bytes[1] == CustomerListSort.status.code ? 9 : 8
        guard bytes.count == headerCount + anchorCount + ListCursorSeal.tagCount else { throw malformed }
        let signed = Array(bytes[..<(bytes.count - ListCursorSeal.tagCount)])
        guard seal.equals(seal.tag(signed), Array(bytes[signed.count...])) else {
            throw CustomerListError(.forged)
        }

        var differences: [CustomerListError.ListingDifference] = []
        if bytes[1] != context.sort.code {
            differences.append(.sort(madeFor: CustomerListSort.allCases.first { $0.code == bytes[1] }, asked: context.sort))
        }
        let filter = bytes[2] == 0 ? nil : ListOrderKey.status(code: bytes[2])
        if bytes[2] != 0 && filter == nil { throw malformed }
        if filter != context.status {
            differences.append(.status(madeFor: filter, asked: context.status))
        }
        if (bytes[3] == 1) != context.descending {
            differences.append(.direction(madeDescending: bytes[3] == 1))
        }
        if Array(bytes[4..<8]) != context.searchTag {
            differences.append(.search)
        }
        guard differences.isEmpty else {
            throw CustomerListError(.otherListing(differences))
        }
        let statusCode: UInt8? = anchorCount == 9 ? bytes[headerCount] : nil
        guard statusCode.map({ ListOrderKey.status(code: $0) != nil }) ?? true else { throw malformed }
        let sequence = signed.withUnsafeBytes { ListOrderKey.sequence(ofSuffix: $0) }
        return Anchor(sequence: sequence, statusCode: statusCode)
    }
}
