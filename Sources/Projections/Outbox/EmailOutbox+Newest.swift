import CompactCodec
import CustomerAggregate
import EventStore
import Foundation

/// The outbox newest first, a page at a time, for the back office's Outbox page: the log, walked backwards from
/// where the previous page stopped, says which emails were queued in which order (each email is keyed by the
/// event that asked for it, `CustomerEvent.emailRequestTypes`), and `outbox.entries` says where each one stands.
/// So a page reads its own emails and the events between them, never every entry, and the order is the queue's
/// whatever the entry ids (random ones in older stores, time-ordered ones now).
///
/// A page filtered by state reads `outbox.states` instead (`OutboxStateIndex`): one seek, then its own emails,
/// however few of them the state holds. In a table set written before that index existed (until its first
/// write builds it) such a page walks the log too; as the emails of that state may be far apart, it examines at
/// most `scanBudget` events and then ends where it got to, saying so (`OutboxNewestPage.searchedBackTo`), and
/// the next page goes on from there.
extension EmailOutbox {
    /// The outbox entries an event of `CustomerEvent.emailRequestTypes` asks for, newest first: the one keyed by its
    /// id, and for an email change request first the notice to the current address (queued after the link).
    public static func entryIds(ofRequest eventID: UUID, isEmailChangeRequest: Bool) -> [UUID] {
        isEmailChangeRequest ? [EmailChangeNotice.entryId(forEvent: eventID), eventID] : [eventID]
    }

    /// Up to `limit` emails queued by events at positions below `position` (nil: the whole log), newest first,
    /// in `state` (an `OutboxEntry.State.name`; nil: any). The emails of one event stay on one page.
    public func newestFirst(
        in reader: StoreReader, below position: UInt64? = nil, state: String? = nil, limit: Int, scanBudget: Int = 10_000
    ) throws -> OutboxNewestPage {
        if pinnedSuffix == nil { return try live(in: reader).newestFirst(in: reader, below: position, state: state, limit: limit, scanBudget: scanBudget) }
        if let state, try OutboxStateIndex.isBuilt(states, in: reader) {
            return try newestFirst(in: reader, below: position, stateCode: OutboxStateIndex.code(ofStateNamed: state), limit: limit)
        }
        var start = try reader.headPosition()
        if let position { start = min(start, position &- 1) }
        var page = OutboxNewestPage()
        var examined = 0
        var lastExamined: (position: UInt64, recordedAt: Date)?
        var stoppedEarly = false
        try reader.forEachEventBackward(from: start) { view in
            if examined >= scanBudget {
                stoppedEarly = true
                return false
            }
            examined += 1
            lastExamined = (view.position, view.recordedAt)
            guard CustomerEvent.emailRequestTypes.contains(where: view.typeIs) else { return true }
            var matching: [OutboxEntry] = []
            for id in Self.entryIds(ofRequest: view.eventID, isEmailChangeRequest: view.typeIs(CustomerEvent.emailChangeRequestedTypeName)) {
                guard let entry = try entry(id, in: reader) else { continue }
                if state == nil || entry.state.name == state { matching.append(entry) }
            }
            guard !matching.isEmpty else { return true }
            if page.entries.count >= limit {
                page.continueBelow = page.entries.last?.queuedPosition
                return false
            }
            page.entries += matching
            return true
        }
        if stoppedEarly, page.continueBelow == nil, let lastExamined, lastExamined.position > 1 {
            page.continueBelow = lastExamined.position
            page.searchedBackTo = lastExamined.recordedAt
        }
        return page
    }

    /// `newestFirst` of one state, from `outbox.states`: the entries keyed below (code, `position`), walking back.
    private func newestFirst(in reader: StoreReader, below position: UInt64?, stateCode: UInt8?, limit: Int) throws -> OutboxNewestPage {
        var page = OutboxNewestPage()
        guard let stateCode, position != 0 else { return page }
        try reader.withCursor(reader.table(states)) { cursor in
            // The last key before (code, position): the key of the first entry at or after it, one step back.
            let bound = position.map { OutboxStateIndex.key(code: stateCode, position: $0) }
                ?? OutboxStateIndex.key(code: stateCode + 1, position: 0)
            var positioned = try cursor.seek(atOrAfter: bound) ? try cursor.previous() : try cursor.last()
            while positioned {
                let key = cursor.key
                guard key.first == stateCode else { return }  // another state's keys, or the built mark
                let id = try OutboxStateIndex.entryID(ofKey: key)
                let queuedPosition = readBigEndianUInt64(key, at: 1)
                if page.entries.count >= limit, let last = page.entries.last, last.queuedPosition != queuedPosition {
                    page.continueBelow = last.queuedPosition
                    return
                }
                page.entries.append(try indexedEntry(id, in: reader))
                positioned = try cursor.previous()
            }
        }
        return page
    }
}

/// One page of `EmailOutbox.newestFirst`.
public struct OutboxNewestPage: Sendable, Equatable {
    /// Newest first.
    public var entries: [OutboxEntry] = []
    /// Where the next (older) page starts: below this log position; nil when the log was read to its start.
    public var continueBelow: UInt64?
    /// Set when the page ended because it had examined its share of the log before it was full: the time of the
    /// oldest event it examined (the page holds every match from its start back to then).
    public var searchedBackTo: Date?

    public init() {}
}
