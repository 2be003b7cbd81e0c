import CustomerAggregate
import EventStore
import Foundation
@testable import Projections

/// The customer list computed the obvious way, straight from the log: replay every customer stream, then
/// filter, search and sort in memory. The projection must agree with it on every query.
struct ListOracle {
    let rows: [CustomerRow]
    /// Each row's searched fields, folded once (by creation sequence).
    private let searchable: [UInt64: [[UInt8]]]

    init(store: EventStore) throws {
        rows = try store.read { reader in
            var rows: [CustomerRow] = []
            for stream in try reader.streamNames() where CustomerID(streamName: stream.rawValue) != nil {
                let events = try reader.readStream(stream)
                let decoded = try events.map(CustomerEvent.decode)
                let state = CustomerDecider.replay(decoded)
                guard let profile = state.profile, let id = state.customerId, let reference = state.reference,
                      let createdAt = state.createdAt, let first = events.first
                else { continue }
                rows.append(CustomerRow(
                    customerId: id, reference: reference, profile: profile, status: state.status, createdAt: createdAt,
                    verifiedAt: state.verifiedAt, creationSequence: first.position))
            }
            return rows
        }
        searchable = Dictionary(uniqueKeysWithValues: rows.map { row in
            (row.creationSequence, [
                row.reference.description, row.profile.email, row.profile.firstName, row.profile.lastName,
                row.profile.company ?? "", row.profile.phone ?? "",
            ].map(Self.folded))
        })
    }

    /// Case and accents ignored, letters without a decomposition spelled with their base letters: an
    /// independent spelling of the projection's first collation level and of its search folding.
    static func folded(_ text: String) -> [UInt8] {
        let expansions: [Character: String] = [
            "ß": "ss", "æ": "ae", "ð": "d", "ø": "o", "þ": "th", "đ": "d", "ħ": "h", "ı": "i", "ĳ": "ij", "ĸ": "k",
            "ŀ": "l", "ł": "l", "ŉ": "n", "ŋ": "n", "œ": "oe", "ŧ": "t", "ſ": "s",
        ]
        var plain = ""
        for character in text.lowercased() {
            if let expansion = expansions[character] { plain += expansion; continue }
            let decomposed = String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            plain.unicodeScalars.append(contentsOf: decomposed.filter { $0.properties.generalCategory != .nonspacingMark })
        }
        return Array(plain.precomposedStringWithCanonicalMapping.utf8)
    }

    /// Both levels: base letters, then the accents (the lower-cased text, left out when it has none).
    static func collation(_ text: String) -> [UInt8] {
        let primary = folded(text)
        let secondary = Array(text.lowercased().precomposedStringWithCanonicalMapping.utf8)
        return primary + [0] + (secondary == primary ? [] : secondary)
    }

    /// `created`: by `createdAt`, then reference number.
    static func createdKey(_ row: CustomerRow) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: (UInt64(bitPattern: Int64((row.createdAt.timeIntervalSince1970 * 1_000_000).rounded())) ^ (1 << 63)).bigEndian) { bytes += $0 }
        withUnsafeBytes(of: row.reference.number.bigEndian) { bytes += $0 }
        return bytes
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        if needle.isEmpty { return true }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }

    func matches(_ query: CustomerListQuery) -> [CustomerRow] {
        var result = rows
        if let status = query.status { result = result.filter { $0.status == status } }
        if let search = query.search, !search.isEmpty {
            let needle = Self.folded(search)
            result = result.filter { row in
                (searchable[row.creationSequence] ?? []).contains { Self.contains($0, needle) }
            }
        }
        let key: (CustomerRow) -> [UInt8]
        switch query.sort {
        case .created: key = { Self.createdKey($0) }
        case .email: key = { Self.collation($0.profile.email) }
        case .firstName: key = { Self.collation($0.profile.firstName) }
        case .lastName: key = { Self.collation($0.profile.lastName) }
        case .status: key = { [$0.status == .unverified ? 0 : 1] + Self.createdKey($0) }
        }
        var keyed = result.map { (row: $0, key: key($0)) }
        keyed.sort { lhs, rhs in
            if lhs.key != rhs.key { return lhs.key.lexicographicallyPrecedes(rhs.key) }
            return lhs.row.creationSequence < rhs.row.creationSequence
        }
        result = keyed.map(\.row)
        return query.descending ? result.reversed() : result
    }
}
