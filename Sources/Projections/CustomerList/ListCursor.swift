import CustomerAggregate
import Foundation

/// The opaque `nextCursor`: base64url (no padding) of
/// `format (1) ‖ sort code (1) ‖ status filter (1: 0 none, 1 Unverified, 2 Verified) ‖ descending (1) ‖
/// search fingerprint (4, FNV-1a of the folded search) ‖ position`,
/// where position is the last row's place in the order: its creation sequence (created), status code ‖
/// sequence (status), or its order-index suffix (folded value ‖ 0x00 ‖ sequence). Because it names a place in
/// the order and not an offset, rows that other processes add or move while someone pages never cause a row
/// that existed all along to be repeated or skipped.
enum ListCursor {
    static let format: UInt8 = 1
    static let headerCount = 8

    struct Context: Equatable {
        let sort: CustomerListSort
        let status: CustomerStatus?
        let descending: Bool
        let searchFingerprint: UInt32
    }

    static func fingerprint(ofSearch folded: [UInt8]?) -> UInt32 {
        guard let folded else { return 0 }
        var hash: UInt32 = 0x811C_9DC5
        for byte in [1] + folded {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    static func encode(_ context: Context, position: [UInt8]) -> String {
        var bytes: [UInt8] = [
            format, context.sort.code, context.status.map(ListOrderKey.statusCode) ?? 0, context.descending ? 1 : 0,
        ]
        withUnsafeBytes(of: context.searchFingerprint.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: position)
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The position of a cursor, after checking that it was made for a list with this `context`.
    static func position(of text: String, expecting context: Context) throws(CustomerListError) -> [UInt8] {
        let malformed = CustomerListError(
            .malformedCursor,
            "--cursor is not a cursor of this list (it must be the nextCursor of a previous page, copied whole)")
        var base64 = text.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        guard !base64.isEmpty, !base64.contains("=") else { throw malformed }
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { throw malformed }
        let bytes = [UInt8](data)
        guard bytes.count > headerCount, bytes[0] == format else { throw malformed }
        let position = Array(bytes[headerCount...])

        var differences: [String] = []
        if bytes[1] != context.sort.code {
            let other = CustomerListSort.allCases.first { $0.code == bytes[1] }.map { "--sort \($0.rawValue)" } ?? "another sort"
            differences.append("it was made for \(other), not --sort \(context.sort.rawValue)")
        }
        let filter = bytes[2] == 0 ? nil : ListOrderKey.status(code: bytes[2])
        if bytes[2] != 0 && filter == nil { throw malformed }
        if filter != context.status {
            differences.append("it was made for \(filter.map { "--status \($0.rawValue.lowercased())" } ?? "no --status"), not \(context.status.map { "--status \($0.rawValue.lowercased())" } ?? "no --status")")
        }
        if (bytes[3] == 1) != context.descending {
            differences.append(bytes[3] == 1 ? "it was made with --desc" : "it was made without --desc")
        }
        let fingerprint = bytes[4...7].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        if fingerprint != context.searchFingerprint {
            differences.append("it was made for another --search")
        }
        guard differences.isEmpty else {
            throw CustomerListError(
                .cursorMismatch,
                "--cursor belongs to another listing: " + differences.joined(separator: "; ")
                    + "; repeat the options of the first page, or drop --cursor to start over")
        }
        guard isValidPosition(position, sort: context.sort) else { throw malformed }
        return position
    }

    private static func isValidPosition(_ position: [UInt8], sort: CustomerListSort) -> Bool {
        switch sort {
        case .created:
            return position.count == 8
        case .status:
            return position.count == 9 && ListOrderKey.status(code: position[0]) != nil
        case .email, .firstName, .lastName:
            return position.count >= 9 && position.count <= ListOrderKey.maxCollationBytes + 9
                && position[position.count - 9] == 0
                && !position[..<(position.count - 9)].contains(0)
        }
    }
}
