import CustomerAggregate
import EventStore
import Foundation
import Projections

/// The queries: each reads one consistent snapshot of the store and returns plain values.
extension CustomerService {
    /// The store format this build writes (shown by `--version`).
    public static var storeFormatVersion: UInt32 { EventStore.formatVersion }

    /// Every event of one customer (reference or email), oldest first, in the back office's words.
    public func history(of customer: String) throws -> [HistoryEntry] {
        try store.read { reader in
            try CustomerHistory.entries(of: try resolve(customer, in: reader), in: reader)
        }
    }

    /// Status changes recorded between `since` and `until` (inclusive), of one customer or of all.
    public func statusChanges(since: Date? = nil, until: Date? = nil, customer: String? = nil) throws -> [StatusChange] {
        try store.read { reader in
            let id = try customer.map { try resolve($0, in: reader) }
            return try StatusAudit.changes(in: reader, since: since, until: until, customer: id)
        }
    }

    /// Up to `limit` events of the global log from `position` on.
    public func events(from position: UInt64 = 1, limit: Int = .max) throws -> [LoggedEvent] {
        try store.readAll(from: position, limit: limit).map(LoggedEvent.init)
    }

    /// Hands every event from `position` on to `onEvent`, as other processes append them, until `shouldStop`
    /// returns true or `limit` events were handed out. While the log is idle it polls the head every
    /// `idlePoll` seconds with a read transaction (a read never blocks writers).
    public func followEvents(
        from position: UInt64 = 1, limit: Int = .max, idlePoll: TimeInterval = 0.1, shouldStop: () -> Bool,
        onEvent: (LoggedEvent) throws -> Void
    ) throws {
        var next = position
        var handed = 0
        while !shouldStop() && handed < limit {
            let batch = try store.readAll(from: next, limit: min(1000, limit - handed))
            for event in batch { try onEvent(LoggedEvent(event)) }
            handed += batch.count
            if let last = batch.last {
                next = last.position + 1
            } else {
                Thread.sleep(forTimeInterval: idlePoll)
            }
        }
    }
}
