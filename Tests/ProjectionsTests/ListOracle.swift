import CustomerAggregate
import EventStore
import Foundation
@testable import Projections

/// The customer list computed the obvious way, straight from the log: replay every customer stream, then
/// filter, search and sort in memory. The projection must agree with it on every query.
struct ListOracle {
    let rows: [CustomerRow]

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
    }

    /// Lower-cased UTF-8, compared bytewise: an independent spelling of the projection's collation.
    static func folded(_ text: String) -> [UInt8] { Array(text.lowercased().utf8) }

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
                [row.reference.description, row.profile.email, row.profile.firstName, row.profile.lastName].contains {
                    Self.contains(Self.folded($0), needle)
                }
            }
        }
        let key: (CustomerRow) -> [UInt8]
        switch query.sort {
        case .created: key = { _ in [] }
        case .email: key = { Self.folded($0.profile.email) }
        case .firstName: key = { Self.folded($0.profile.firstName) }
        case .lastName: key = { Self.folded($0.profile.lastName) }
        case .status: key = { [$0.status == .unverified ? 0 : 1] }
        }
        result.sort { lhs, rhs in
            let (left, right) = (key(lhs), key(rhs))
            if left != right { return left.lexicographicallyPrecedes(right) }
            return lhs.creationSequence < rhs.creationSequence
        }
        return query.descending ? result.reversed() : result
    }
}
