import CustomerAggregate
import Dispatch
import EventStore
import Foundation
import Mail
import Projections

/// Why a batch ended before its last email.
enum OutboxBatchStop: Sendable, Equatable {
    /// Another dispatcher took over an email whose lease had expired (this one was paused or slow): the rest of the
    /// batch is left to the holder.
    case leaseLost
    /// The transport cannot deliver anything now (a full disk, a relay that refuses our sender or HELO name): no
    /// attempt is counted for the emails of the batch; try later.
    case outage(String)
}

/// The outcomes of one batch, in order, and why it stopped early (nil: it ran to the end, or was asked to stop).
struct OutboxBatchResult {
    var deliveries: [OutboxDelivery] = []
    var stop: OutboxBatchStop?
}

extension OutboxDispatcher {
    /// Sends the claimed entries (no transaction is open meanwhile). Stops early when asked to, when half of the
    /// lease is used up, when the lease of the next email turns out lost, or on a transport outage; the entries not
    /// reached stay due.
    func deliver(
        _ batch: [OutboxEntry], shouldStop: () -> Bool = { false }, onDelivery: (OutboxDelivery) -> Void = { _ in }
    ) throws -> OutboxBatchResult {
        let (settings, customers) = try service.store.read { reader in
            (try service.loadSettings(in: reader), try batch.map { try service.loadCustomer($0.customerId, in: reader).0 })
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let budget = UInt64(max(1, settings.deliveryLease / 2) * 1_000_000_000)
        var result = OutboxBatchResult()
        var refusals = RelayRefusals()
        func append(_ deliveries: [OutboxDelivery]) {
            for delivery in deliveries {
                result.deliveries.append(delivery)
                onDelivery(delivery)
            }
        }
        /// A single refusal (or one the relay did not repeat) is the email's own: it is recorded.
        func finish(_ stop: OutboxBatchStop?) -> OutboxBatchResult {
            append(refusals.release())
            result.stop = stop
            return result
        }
        for (index, (entry, state)) in zip(batch, customers).enumerated() {
            if !result.deliveries.isEmpty {
                if shouldStop() || DispatchTime.now().uptimeNanoseconds - started > budget { break }
            }
            var leaseError: Error?
            let remaining = batch[index...].map(\.id)
            let confirm: () -> Bool = {
                do {
                    return try self.holdsLease(of: entry.id, renewing: remaining, for: settings.deliveryLease)
                } catch {
                    leaseError = error
                    return false
                }
            }
            let step = deliverOne(entry, customer: state, settings: settings, confirm: confirm)
            if let leaseError { throw leaseError }
            switch step {
            case .done(let delivery):
                if delivery.cameFromTheTransport { append(refusals.sawOther()) }
                append([delivery])
            case .refused(let delivery, let reply):
                switch refusals.add(delivery, reply: reply) {
                case .held:
                    continue
                case .record(let deliveries):
                    append(deliveries)
                case .relayRefusesEveryone:
                    return finish(.outage(
                        "the SMTP relay refused every recipient of the batch with the same reply (\(reply)); this is a "
                            + "configuration problem of the relay (e.g. of our sender or HELO name), not of the emails"))
                }
            case .stop(let stop):
                return finish(stop)
            }
        }
        return finish(nil)
    }

    /// Whether this dispatcher still holds the lease of `entryId`, right before its email is handed over.
    ///
    /// A read is enough while more than half of our lease is left: another dispatcher only claims an entry whose
    /// lease has expired, and claims are write transactions. Otherwise one short write transaction checks and
    /// renews at once — atomic with respect to any other dispatcher's claim, as LMDB has a single writer — and
    /// renews the leases of the rest of the batch with it. A lease that is gone (the holder recorded an outcome and
    /// released it) or another's means: leave the email to the other dispatcher.
    func holdsLease(of entryId: UUID, renewing batch: [UUID], for duration: TimeInterval) throws -> Bool {
        let owner = options.dispatcherID
        let now = service.clock()
        let fresh = try service.store.read { reader -> Bool? in
            guard let lease = try OutboxLeases.lease(of: entryId, in: reader), lease.owner == owner else { return false }
            return lease.expiresAt.timeIntervalSince(now) > duration / 2 ? true : nil
        }
        if let fresh { return fresh }
        return try service.store.write { writer in
            guard let lease = try OutboxLeases.lease(of: entryId, in: writer), lease.owner == owner,
                  let entry = try outbox.entry(entryId, in: writer), !entry.state.isFinal
            else { return false }
            let expiry = now.addingTimeInterval(duration)
            for id in batch {
                guard let other = try OutboxLeases.lease(of: id, in: writer), other.owner == owner else { continue }
                try OutboxLeases.claim(id, owner: owner, until: expiry, in: writer)
            }
            return true
        }
    }

    private enum Step {
        case done(OutboxDelivery)
        /// A relay refused the envelope with a reply that does not name the recipient: dead, unless the relay
        /// refuses the next recipient the same way.
        case refused(OutboxDelivery, reply: String)
        case stop(OutboxBatchStop)
    }

    private func deliverOne(
        _ entry: OutboxEntry, customer state: CustomerState, settings: StoreSettings, confirm: () -> Bool
    ) -> Step {
        let now = service.clock()
        let recipient = OutboxMessageBuilder.recipient(of: entry, customer: state)
        func outcome(_ attempts: Int, _ outcome: OutboxDelivery.Outcome) -> Step {
            .done(OutboxDelivery(entry: entry, recipient: recipient, attempts: attempts, at: now, outcome: outcome))
        }
        func failure(_ attempt: Int, _ error: String) -> Step {
            if let next = OutboxRetryPolicy(settings).nextAttempt(afterFailedAttempt: attempt, at: now) {
                return outcome(attempt, .failed(error: error, nextAttemptAt: next))
            }
            // The message is the last error alone: every place that shows it already says "dead after N attempts".
            return outcome(attempt, .dead(reason: .attemptsExhausted, message: error))
        }

        let message: EmailMessage
        switch OutboxMessageBuilder.build(entry, customer: state, settings: settings, tokens: service.tokens, now: now) {
        case .notSent(let reason, let text):
            return outcome(entry.attempts, .dead(reason: reason, message: text))
        case .retryLater(let error):
            return failure(entry.attempts + 1, error)
        case .send(let built):
            message = built
        }
        let rendered: [UInt8]
        do {
            rendered = try MessageRenderer.render(message, bodyEncoding: options.bodyEncoding)
        } catch {
            // Customer data that would inject a header is refused at creation; the renderer refuses it anyway.
            return outcome(entry.attempts, .dead(reason: .cannotRender, message: "not sent: \(error.description)"))
        }
        let attempt = entry.attempts + 1
        do {
            let receipt = try transport.deliver(message, rendered: rendered, confirm: confirm)
            return outcome(attempt, .sent(transport: receipt.transport, detail: receipt.detail))
        } catch {
            switch error.kind {
            case .permanent:
                let dead = outcome(attempt, .dead(reason: .rejected, message: error.message))
                guard let reply = error.refusal, case .done(let delivery) = dead else { return dead }
                return .refused(delivery, reply: reply)
            case .requiresSMTPUTF8: return outcome(attempt, .dead(reason: .needsSMTPUTF8, message: error.message))
            case .temporary: return failure(attempt, error.message)
            case .outage: return .stop(.outage(error.message))
            case .withdrawn: return .stop(.leaseLost)
            }
        }
    }
}

/// The refusals of one batch while the relay has accepted nothing else: the first is held back; when the next
/// recipient is refused with the very same reply, the relay refuses everyone (its configuration, e.g. of our sender
/// or HELO name) and no email is charged for it; anything else makes the held refusal the email's own.
struct RelayRefusals {
    enum Verdict {
        case held
        case record([OutboxDelivery])
        case relayRefusesEveryone
    }

    private var held: (delivery: OutboxDelivery, reply: String)?
    private var relayAcceptedOthers = false

    mutating func add(_ delivery: OutboxDelivery, reply: String) -> Verdict {
        if relayAcceptedOthers { return .record([delivery]) }
        guard let first = held else {
            held = (delivery, reply)
            return .held
        }
        if first.reply == reply {
            held = nil
            return .relayRefusesEveryone
        }
        held = nil
        relayAcceptedOthers = true
        return .record([first.delivery, delivery])
    }

    /// Another outcome came from the relay: the held refusal, if any, is the email's own.
    mutating func sawOther() -> [OutboxDelivery] {
        relayAcceptedOthers = true
        return release()
    }

    mutating func release() -> [OutboxDelivery] {
        defer { held = nil }
        return held.map { [$0.delivery] } ?? []
    }
}

extension OutboxDelivery {
    /// Whether the relay answered (sent, failed, refused), as opposed to an email not sent on purpose or one the
    /// transport could not even offer to this relay (`needsSMTPUTF8`, decided from its EHLO alone).
    var cameFromTheTransport: Bool {
        switch outcome {
        case .sent, .failed: return true
        case .dead(let reason, _): return !reason.isNotSent && reason != .needsSMTPUTF8
        }
    }
}
