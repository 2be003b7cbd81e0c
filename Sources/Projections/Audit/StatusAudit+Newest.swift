import CustomerAggregate
import EventStore
import Foundation

/// The audit newest first, a page at a time, walking the log backwards from where the previous page stopped:
/// a page reads the events between its first and its last change (and one change beyond, to know whether there
/// is an older page), never the whole log, so the back office's Audit page costs the same on a store of a
/// million customers as on a new one.
///
/// The changes are the ones `changes` finds, in reverse: a `CustomerCreated` is none → Unverified, or none →
/// Verified when the next position is the same stream's `EmailVerified` without a token (an import of a
/// registered customer, one append), whose own row that merge replaces; every other `EmailVerified` is
/// Unverified → Verified. Walking forward, `changes` also skips a verification of a customer it already saw
/// verified; walking backwards cannot see that, and needs not: the deciders emit `EmailVerified` only for an
/// Unverified customer (`decideVerifyEmail`, a password link, a confirmed email change), so no such event exists.
extension StatusAudit {
    /// Up to `limit` changes recorded at positions below `position` (nil: the whole log), newest first, between
    /// `since` and `until` (inclusive); `hasOlder` says whether a change older than the last one exists.
    public static func newestFirst(
        in reader: StoreReader, below position: UInt64? = nil, since: Date? = nil, until: Date? = nil, limit: Int
    ) throws -> (changes: [StatusChange], hasOlder: Bool) {
        var start = try reader.headPosition()
        if let position { start = min(start, position &- 1) }
        if let until { start = min(start, try firstPosition(recordedAfter: until, in: reader) &- 1) }
        var walker = NewestFirstWalker(reader: reader)
        var found: [StatusChange] = []
        // One event above the start, so that a creation at the start sees whether the verification after it was merged.
        try reader.forEachEventBackward(from: start + 1) { view in
            if let since, view.recordedAt < since { return false }
            guard view.typeIs(CustomerEvent.createdTypeName) || view.typeIs(CustomerEvent.emailVerifiedTypeName) else { return true }
            let change = try walker.consume(try view.materialize())
            if let change, change.causePosition <= start { found.append(change) }
            return found.count <= limit
        }
        let hasOlder = found.count > limit
        return (Array(found.prefix(limit)), hasOlder)
    }

    /// The first position whose event was recorded after `instant` (head + 1 when none).
    static func firstPosition(recordedAfter instant: Date, in reader: StoreReader) throws -> UInt64 {
        try firstPosition(in: reader) { $0 > instant }
    }

    /// Turns the status events met walking backwards into changes; remembers the event met just before (the one
    /// at the next position, when it was a status event) and the references it looked up.
    private struct NewestFirstWalker {
        let reader: StoreReader
        var later: (position: UInt64, stream: String, tokenlessVerification: EmailVerified?)?
        var referenceByStream: [String: CustomerReference] = [:]

        init(reader: StoreReader) { self.reader = reader }

        mutating func consume(_ event: RecordedEvent) throws -> StatusChange? {
            let stream = event.stream.rawValue
            let next = later
            later = nil
            switch try CustomerEvent.decode(event) {
            case .created(let created):
                referenceByStream[stream] = created.reference
                let merged = next.flatMap { $0.position == event.position + 1 && $0.stream == stream ? $0.tokenlessVerification : nil }
                return StatusChange(
                    recordedAt: event.recordedAt, effectiveAt: merged?.verifiedAt ?? created.createdAt,
                    customerId: created.customerId, reference: created.reference, from: nil,
                    to: merged == nil ? .unverified : .verified,
                    causeType: event.type, causePosition: event.position, actor: event.metadata.actor)
            case .emailVerified(let verified):
                later = (event.position, stream, verified.tokenId == nil ? verified : nil)
                if verified.tokenId == nil, try isCreation(of: event.stream, at: event.position &- 1) { return nil }
                guard let id = CustomerID(streamName: stream) else { return nil }
                return StatusChange(
                    recordedAt: event.recordedAt, effectiveAt: verified.verifiedAt, customerId: id,
                    reference: try reference(of: event.stream), from: .unverified, to: .verified,
                    causeType: event.type, causePosition: event.position, actor: event.metadata.actor)
            case .verificationRequested, .passwordTokenIssued, .passwordSet, .passwordRehashed, .signInSucceeded, .signInFailed, .accountLocked, .edited, .address, .note, .emailChangeRequested, .emailChangeConfirmed, .emailChanged, .forgotten:
                return nil
            }
        }

        /// Whether the event at `position` is `stream`'s `CustomerCreated` (which then shows this verification).
        private func isCreation(of stream: StreamName, at position: UInt64) throws -> Bool {
            var found = false
            try reader.forEachEventBackward(from: position) { view in
                found = view.position == position && view.typeIs(CustomerEvent.createdTypeName) && view.stream == stream
                return false
            }
            return found
        }

        /// From the creation event at the start of the stream (read once per stream and page).
        private mutating func reference(of stream: StreamName) throws -> CustomerReference? {
            if let known = referenceByStream[stream.rawValue] { return known }
            let found = try StatusAudit.creationReference(of: stream, in: reader)
            referenceByStream[stream.rawValue] = found
            return found
        }
    }
}
