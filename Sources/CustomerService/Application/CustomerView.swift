import CustomerAggregate
import EventStore
import Foundation
import Projections

/// A customer as `show` presents it: the state (now or at a past instant) and the emails whose link still works.
///
/// Never the link or the token itself: whoever can run `show` could otherwise verify an address they do not own
/// or set a customer's password. An operator helping a customer sends a new email instead.
public struct CustomerView: Sendable {
    public struct PendingEmail: Sendable {
        public let kind: String
        public let recipient: String
        /// The outbox entry of the email (as `outbox list` shows it), when it is in the outbox.
        public let outboxId: UUID?
        public let expiresAt: Date
        /// The outbox's delivery state of this email (pending, sent, failed, dead), when it is in the outbox.
        public let delivery: String?
    }

    public let state: CustomerState?
    public let pendingEmails: [PendingEmail]
    /// The past instant the state was replayed up to; nil for the customer now.
    public let asOf: Date?
}

extension CustomerService {
    /// The customer now, or as it was at `asOf` (its events recorded up to that instant, replayed); refused with
    /// `customerNotYetCreated` when it did not exist yet at that instant.
    public func customerView(_ customer: String, asOf: Date? = nil) throws -> CustomerView {
        let view = try store.read { reader in
            let id = try resolve(customer, in: reader)
            if let asOf {
                let state = try CustomerTimeTravel.state(of: id, asOf: asOf, in: reader)
                return CustomerView(state: state?.withoutExpiredEmailChange(at: asOf), pendingEmails: [], asOf: asOf)
            }
            let events = try reader.readStream(try StreamName(id.streamName))
            let state = CustomerDecider.replay(try customerEvents(in: events))
            guard state.exists else { return CustomerView(state: nil, pendingEmails: [], asOf: nil) }
            // The outbox entry of an email is keyed by the id of the event that asked for it.
            var deliveries: [UUID: (id: UUID, state: String)] = [:]
            for event in events where CustomerEvent.emailRequestTypes.contains(where: event.typeIs) {
                if let entry = try outbox.entry(event.eventID, in: reader) {
                    switch try CustomerEvent.decode(event) {
                    case .verificationRequested(let requested): deliveries[requested.tokenId] = (entry.id, entry.state.name)
                    case .passwordTokenIssued(let issued): deliveries[issued.tokenId] = (entry.id, entry.state.name)
                    case .emailChangeRequested(let requested): deliveries[requested.tokenId] = (entry.id, entry.state.name)
                    default: break
                    }
                }
            }
            return CustomerView(
                state: state.withoutExpiredEmailChange(at: clock()), pendingEmails: pendingEmails(of: state, deliveries: deliveries), asOf: nil)
        }
        guard view.state != nil else {
            throw DomainError(.customerNotYetCreated, "Customer \(customer) did not exist yet at \(asOf.map(UTCTime.iso8601) ?? "now")")
        }
        return view
    }

    /// The emails whose token still works, with their delivery state.
    func pendingEmails(of state: CustomerState, deliveries: [UUID: (id: UUID, state: String)]) -> [CustomerView.PendingEmail] {
        guard let profile = state.profile else { return [] }
        let now = clock()
        var emails: [CustomerView.PendingEmail] = []
        if let token = state.verificationToken, state.verificationTokenUsability(token.id, at: now).isUsable {
            let delivery = deliveries[token.id]
            emails.append(.init(
                kind: "verification", recipient: profile.email, outboxId: delivery?.id, expiresAt: token.expiresAt,
                delivery: delivery?.state))
        }
        if let token = state.passwordToken, state.passwordTokenUsability(token.id, at: now).isUsable {
            let delivery = deliveries[token.id]
            emails.append(.init(
                kind: "password-set", recipient: profile.email, outboxId: delivery?.id, expiresAt: token.expiresAt,
                delivery: delivery?.state))
        }
        if let change = state.emailChange, state.emailChangeTokenUsability(change.token.id, at: now).isUsable {
            let delivery = deliveries[change.token.id]
            emails.append(.init(
                kind: "email-change", recipient: change.email, outboxId: delivery?.id, expiresAt: change.token.expiresAt,
                delivery: delivery?.state))
        }
        return emails
    }
}
