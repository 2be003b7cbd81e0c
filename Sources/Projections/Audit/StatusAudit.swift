import CustomerAggregate
import EventStore
import Foundation

/// `customer-es audit`: status changes across customers, computed from the log (not from a projection, so it
/// cannot disagree with the events).
///
/// - `CustomerCreated` → none → Unverified; an import of a registered customer (its `CustomerCreated` directly
///   followed, in the same append, by an `EmailVerified` without a token) → none → Verified, as one change.
/// - `EmailVerified` → Unverified → Verified.
///
/// `since`/`until` are inclusive bounds on the recorded time. With `customer`, only that stream is read.
/// Otherwise the log is scanned from the first event recorded at or after `since` (found by binary search:
/// recorded times never go backwards along the log) up to `until`, and events of other types are skipped on
/// the zero-copy view without being copied.
public enum StatusAudit {
    public static func changes(
        in reader: StoreReader, since: Date? = nil, until: Date? = nil, customer: CustomerID? = nil
    ) throws -> [StatusChange] {
        var auditor = Auditor(reader: reader)
        if let customer {
            guard let stream = try? StreamName(customer.streamName) else { return [] }
            for event in try reader.readStream(stream) {
                if let until, event.recordedAt > until { break }
                if let since, event.recordedAt < since { continue }
                try auditor.consume(event)
            }
        } else {
            let start = try since.map { try firstPosition(recordedAtOrAfter: $0, in: reader) } ?? 1
            try reader.forEachEvent(from: start) { view in
                if let until, view.recordedAt > until { return false }
                guard view.typeIs(CustomerEvent.createdTypeName) || view.typeIs(CustomerEvent.emailVerifiedTypeName) else { return true }
                try auditor.consume(try view.materialize())
                return true
            }
        }
        auditor.flush()
        return auditor.changes
    }

    /// The first position whose event was recorded at or after `instant` (head + 1 when none).
    static func firstPosition(recordedAtOrAfter instant: Date, in reader: StoreReader) throws -> UInt64 {
        try firstPosition(in: reader) { $0 >= instant }
    }

    /// The first position whose recorded time `isReached` (head + 1 when none), by binary search: recorded times
    /// never go backwards along the log, so `isReached` is false up to some position and true from there on.
    static func firstPosition(in reader: StoreReader, where isReached: (Date) -> Bool) throws -> UInt64 {
        var low: UInt64 = 1
        var high = try reader.headPosition() + 1
        while low < high {
            let middle = low + (high - low) / 2
            var recordedAt = Date.distantFuture
            try reader.forEachEvent(from: middle) { view in
                recordedAt = view.recordedAt
                return false
            }
            if isReached(recordedAt) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The reference of the customer of `stream`, from the creation event at the start of the stream (for
    /// changes of customers created outside the part of the log a scan reads).
    static func creationReference(of stream: StreamName, in reader: StoreReader) throws -> CustomerReference? {
        guard let first = try reader.readStream(stream, from: 1, limit: 1).first,
              case .created(let created) = try CustomerEvent.decode(first)
        else { return nil }
        return created.reference
    }

    /// Folds events into status changes; remembers what it has seen so that an `EmailVerified` knows the status
    /// it replaces and the customer's reference.
    private struct Auditor {
        let reader: StoreReader
        var changes: [StatusChange] = []
        var statusByStream: [String: CustomerStatus] = [:]
        var referenceByStream: [String: CustomerReference] = [:]
        /// A creation held back for one event, in case the same append verifies the customer (import).
        var pending: (event: RecordedEvent, created: CustomerCreated)?

        init(reader: StoreReader) { self.reader = reader }

        mutating func consume(_ event: RecordedEvent) throws {
            guard event.typeIs(CustomerEvent.createdTypeName) || event.typeIs(CustomerEvent.emailVerifiedTypeName) else { return }
            let decoded = try CustomerEvent.decode(event)
            let stream = event.stream.rawValue
            switch decoded {
            case .created(let created):
                flush()
                guard statusByStream[stream] == nil else { return }  // a second creation changes nothing
                referenceByStream[stream] = created.reference
                statusByStream[stream] = .unverified
                pending = (event, created)
            case .emailVerified(let verified):
                if let held = pending, held.event.stream == event.stream, held.event.position + 1 == event.position,
                   verified.tokenId == nil {
                    pending = nil
                    statusByStream[stream] = .verified
                    changes.append(StatusChange(
                        recordedAt: held.event.recordedAt, effectiveAt: verified.verifiedAt,
                        customerId: held.created.customerId, reference: held.created.reference, from: nil, to: .verified,
                        causeType: held.event.type, causePosition: held.event.position, actor: held.event.metadata.actor))
                    return
                }
                flush()
                guard statusByStream[stream] != .verified else { return }  // already Verified: no change
                statusByStream[stream] = .verified
                guard let id = CustomerID(streamName: stream) else { return }
                changes.append(StatusChange(
                    recordedAt: event.recordedAt, effectiveAt: verified.verifiedAt, customerId: id,
                    reference: try reference(of: event.stream), from: .unverified, to: .verified,
                    causeType: event.type, causePosition: event.position, actor: event.metadata.actor))
            case .verificationRequested, .passwordTokenIssued, .passwordSet, .passwordRehashed, .signInSucceeded, .signInFailed, .accountLocked, .edited, .address, .note, .emailChangeRequested, .emailChangeConfirmed, .emailChanged, .forgotten:
                return
            }
        }

        mutating func flush() {
            guard let held = pending else { return }
            pending = nil
            changes.append(StatusChange(
                recordedAt: held.event.recordedAt, effectiveAt: held.created.createdAt,
                customerId: held.created.customerId, reference: held.created.reference, from: nil, to: .unverified,
                causeType: held.event.type, causePosition: held.event.position, actor: held.event.metadata.actor))
        }

        /// From the creation event at the start of the stream, for customers created before the scanned range.
        private mutating func reference(of stream: StreamName) throws -> CustomerReference? {
            if let known = referenceByStream[stream.rawValue] { return known }
            let found = try StatusAudit.creationReference(of: stream, in: reader)
            referenceByStream[stream.rawValue] = found
            return found
        }
    }
}
