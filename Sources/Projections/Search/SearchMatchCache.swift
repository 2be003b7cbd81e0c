import EventStore
import Synchronization

/// The match sets of the last few searches, each kept for the snapshot it was computed in: an operator who
/// searches for a name and then pages, sorts or filters by status asks for the same matches again and again,
/// and a name a tenth of the customers share costs milliseconds of posting lists to intersect every time.
///
/// An entry is used only by a read of the very same committed state (`SnapshotIdentity`: any commit, by this
/// process or another, or a replaced data file makes a new one), so a cached answer is always the answer the
/// index gives; reads inside a write transaction (which has no identity) never use or fill it. The set holds
/// creation sequences only (no personal data), at most `capacity` of them.
final class SearchMatchCache: Sendable {
    /// The one cache of the process's list pages.
    static let shared = SearchMatchCache(capacity: 8)

    struct Key: Hashable, Sendable {
        let snapshot: SnapshotIdentity
        /// The list's table set (a rebuild switches to another one in a commit, but the name keeps them apart
        /// even so).
        let tables: String
        /// The folded query.
        let query: [UInt8]
    }

    let capacity: Int
    /// Off: every search computes its matches (benchmarks that time the index's own work turn it off).
    private let enabled = Atomic<Bool>(true)
    /// Least recently used first.
    private let entries: Mutex<[(key: Key, matches: SequenceBitSet)]>

    init(capacity: Int) {
        precondition(capacity > 0, "a cache holds at least one entry")
        self.capacity = capacity
        entries = Mutex([])
    }

    /// The cached matches of `key`, else `compute()`'s, kept for the next read of the same snapshot. With no
    /// key (a read inside a write) the matches are computed and not kept.
    func matches(_ key: Key?, compute: () throws -> SequenceBitSet) rethrows -> SequenceBitSet {
        guard let key, isEnabled else { return try compute() }
        let cached = entries.withLock { entries -> SequenceBitSet? in
            guard let index = entries.firstIndex(where: { $0.key == key }) else { return nil }
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry.matches
        }
        if let cached { return cached }
        // Computed outside the lock: another thread's search of another query does not wait for this one.
        let matches = try compute()
        entries.withLock { entries in
            // Another thread may have computed the same meanwhile. Entries of superseded snapshots are simply
            // the least recently used ones soon: new readers never ask for them.
            entries.removeAll { $0.key == key }
            entries.append((key, matches))
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        }
        return matches
    }

    var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set {
            enabled.store(newValue, ordering: .relaxed)
            if !newValue { entries.withLock { $0.removeAll() } }
        }
    }

    /// How many match sets are kept now (for tests).
    var count: Int { entries.withLock { $0.count } }
}
