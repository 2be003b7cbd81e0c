import CustomerAggregate
import EventStore
import Foundation
import Mail
import Projections

/// Delivers the outbox's due emails through one transport, batch by batch:
///
/// 1. **claim** up to `batchSize` due entries in one write transaction, leasing each to this dispatcher
///    (`OutboxLeases`): entries leased by another live dispatcher are skipped;
/// 2. **deliver** them outside any transaction: render each from the customer's current state, hand it to the
///    transport, classify the result (sent / failed with the next attempt time / dead);
/// 3. **record** the outcomes as `OutboxEvent`s and release the leases in one write transaction (the
///    `EmailOutbox` projection follows in that same transaction).
///
/// Two LMDB commits per batch instead of two per email. Right before each email is handed over, the dispatcher
/// checks that it still holds its lease and renews the batch's leases when half is used up (`holdsLease`): one that
/// was paused past its lease leaves the email to the dispatcher that took it over. A crash between 2 and 3 leaves
/// the leases to expire: those emails are sent again later with the same Message-ID (at-least-once). A batch also
/// stops early when it has used half of the lease duration, and on a transport outage (nothing counted).
///
/// Not Sendable: it owns a transport (an SMTP connection). Use one per thread.
public final class OutboxDispatcher {
    public struct Options: Sendable {
        /// Entries claimed and recorded per write transaction.
        public var batchSize: Int
        /// 8-bit UTF-8 by default, so that the stored or received message literally contains the verification or
        /// password link (operators grep `.eml` files for it); SMTP announces it with BODY=8BITMIME and falls back to
        /// quoted-printable for a relay without that extension.
        public var bodyEncoding: BodyEncoding
        /// Written into each lease; unique per dispatcher.
        public var dispatcherID: String

        public init(
            batchSize: Int = 100,
            bodyEncoding: BodyEncoding = .eightBit,
            dispatcherID: String = OutboxDispatcher.uniqueDispatcherID()
        ) {
            self.batchSize = max(1, batchSize)
            self.bodyEncoding = bodyEncoding
            self.dispatcherID = dispatcherID
        }
    }

    public let service: CustomerService
    public let transport: any MailTransport
    public let options: Options
    let outbox = EmailOutbox()
    let metadata: CommandMetadata

    public init(service: CustomerService, transport: any MailTransport, metadata: CommandMetadata, options: Options = Options()) throws {
        self.service = service
        self.transport = transport
        self.metadata = metadata
        self.options = options
        // Before anything is claimed: a transport that cannot work at all must not burn delivery attempts.
        do {
            try transport.prepare()
        } catch {
            throw OutboxTransportUnusable(transport: transport.name, message: error.message)
        }
    }

    /// `host/pid/random`: readable in a lease, unique across processes and runs.
    public static func uniqueDispatcherID() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8).lowercased())"
    }

    // MARK: Running

    /// Dispatches everything due now (at most `limit` emails), then returns. `shouldStop` is checked before each
    /// email: the email in flight is finished and recorded, the rest stays due. `onDelivery` sees each outcome as
    /// it happens.
    public func dispatchDue(
        limit: Int = .max, shouldStop: () -> Bool = { false }, onDelivery: (OutboxDelivery) -> Void = { _ in }
    ) throws -> OutboxDispatchSummary {
        var summary = OutboxDispatchSummary()
        try dispatchRounds(limit: limit, shouldStop: shouldStop, onDelivery: onDelivery, into: &summary)
        transport.close()
        try fillWaiting(&summary)
        return summary
    }

    /// Keeps dispatching as emails become due (new entries, retries whose time has come, leases that expired),
    /// checking the outbox every `pollInterval` with a read transaction (never blocking writers), until
    /// `shouldStop` says so or `limit` emails were processed.
    public func watch(
        limit: Int = .max, pollInterval: TimeInterval = 0.2, shouldStop: () -> Bool,
        onDelivery: (OutboxDelivery) -> Void = { _ in }
    ) throws -> OutboxDispatchSummary {
        var summary = OutboxDispatchSummary()
        defer { transport.close() }
        while !shouldStop() && summary.processed < limit {
            let outagesBefore = summary.outages
            try dispatchRounds(limit: limit, shouldStop: shouldStop, onDelivery: onDelivery, into: &summary)
            guard !shouldStop(), summary.processed < limit else { break }
            // Idle: say goodbye to the relay rather than let it time the connection out; the next email reconnects.
            transport.close()
            if summary.outages > outagesBefore {
                // The emails are still due, but the transport cannot take them: wait as after a first failure.
                Self.sleep(try service.settings().deliveryBackoff.first, unless: shouldStop)
                continue
            }
            while !shouldStop() {
                Self.sleep(pollInterval, unless: shouldStop)
                if try hasClaimableEntry(now: service.clock()) { break }
            }
        }
        summary.interrupted = shouldStop()
        try fillWaiting(&summary)
        return summary
    }

    private func dispatchRounds(
        limit: Int, shouldStop: () -> Bool, onDelivery: (OutboxDelivery) -> Void, into summary: inout OutboxDispatchSummary
    ) throws {
        while summary.processed < limit {
            if shouldStop() {
                summary.interrupted = true
                return
            }
            let batch = try claim(now: service.clock(), maximum: min(options.batchSize, limit - summary.processed))
            if batch.isEmpty { return }
            let result = try deliver(batch, shouldStop: shouldStop, onDelivery: onDelivery)
            try record(result.deliveries, releasing: batch.map(\.id))
            for delivery in result.deliveries { summary.count(delivery) }
            switch result.stop {
            case nil:
                continue
            case .leaseLost:
                // Another dispatcher has those emails; claim afresh (it skips what the other holds).
                summary.handedOver += 1
            case .outage(let message):
                summary.outages += 1
                summary.outage = message
                return
            }
        }
    }

    private func fillWaiting(_ summary: inout OutboxDispatchSummary) throws {
        let waiting = try service.store.read { try outbox.waiting(in: $0) }
        summary.waiting = waiting.count
        summary.nextDueAt = waiting.earliestDueAt
    }

    private static func sleep(_ interval: TimeInterval, unless shouldStop: () -> Bool) {
        var remaining = interval
        while remaining > 0, !shouldStop() {
            let slice = min(remaining, 0.05)
            usleep(UInt32(slice * 1_000_000))
            remaining -= slice
        }
    }

    // MARK: The three steps (internal so that tests can stop between them, as a crash would)

    /// Leases up to `maximum` due entries to this dispatcher, earliest due first.
    func claim(now: Date, maximum: Int) throws -> [OutboxEntry] {
        guard maximum > 0 else { return [] }
        let owner = options.dispatcherID
        return try service.store.write { writer in
            let expiry = now.addingTimeInterval(try service.loadSettings(in: writer).deliveryLease)
            var candidates: [UUID] = []
            try outbox.forEachDue(until: now, in: writer) { _, id in
                if let lease = try OutboxLeases.lease(of: id, in: writer), lease.owner != owner, lease.isLive(at: now) {
                    return true
                }
                candidates.append(id)
                return candidates.count < maximum
            }
            var claimed: [OutboxEntry] = []
            for id in candidates {
                guard let entry = try outbox.entry(id, in: writer), !entry.state.isFinal else { continue }
                try OutboxLeases.claim(id, owner: owner, until: expiry, in: writer)
                claimed.append(entry)
            }
            return claimed
        }
    }

    /// Whether a claim now would find anything (a read transaction).
    func hasClaimableEntry(now: Date) throws -> Bool {
        try service.store.read { reader in
            var found = false
            try outbox.forEachDue(until: now, in: reader) { _, id in
                if let lease = try OutboxLeases.lease(of: id, in: reader), lease.owner != options.dispatcherID, lease.isLive(at: now) {
                    return true
                }
                found = true
                return false
            }
            return found
        }
    }

    /// Appends one event per outcome and releases this dispatcher's leases, in one write transaction.
    ///
    /// A failure is not recorded for an entry that meanwhile became sent or dead, or that another dispatcher
    /// holds (our lease expired and it took over): its own outcome will say what happened. A delivery is always
    /// recorded, even twice: the log must say that the email went out.
    func record(_ deliveries: [OutboxDelivery], releasing claimed: [UUID]) throws {
        let owner = options.dispatcherID
        let prepared = try deliveries.map { delivery -> (OutboxDelivery, EventData, StreamName) in
            let event = delivery.event
            let data = event.eventData(
                metadata: EventMetadata(
                    actor: metadata.actor, correlationID: metadata.correlationID, causationID: delivery.entry.id, osUser: metadata.osUser), sealing: PersonalDataSealer())
            return (delivery, data, try StreamName(OutboxEvent.streamName(forEntry: delivery.entry.id)))
        }
        let now = service.clock()
        try service.store.write { writer in
            for (delivery, data, stream) in prepared {
                guard let current = try outbox.entry(delivery.entry.id, in: writer) else { continue }
                if case .sent = delivery.outcome {
                    // Always recorded.
                } else {
                    if current.state.isFinal { continue }
                    if let lease = try OutboxLeases.lease(of: current.id, in: writer), lease.owner != owner, lease.isLive(at: now) {
                        continue
                    }
                }
                try writer.append([data], to: stream, expectedVersion: .any)
            }
            for id in claimed { try OutboxLeases.release(id, owner: owner, in: writer) }
        }
    }
}
