import CustomerAggregate
import EventStore
import Foundation
import Projections

/// A customer as `show` and the back office's customer page present it: the state (now or at a past instant), the
/// emails whose link still works, and every email the outbox holds for the customer with its delivery state.
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

    /// One email of the customer's outbox, and whether its link still works.
    public struct Email: Sendable {
        public enum Link: Sendable, Equatable {
            /// The link works until then.
            case works(until: Date)
            /// Used, replaced by a newer one, or expired: it no longer does anything.
            case spent
            /// A notice (password changed, email change asked for or made) carries no link.
            case none

            /// "works", "spent" or "none", as `show` writes it.
            public var name: String {
                switch self {
                case .works: "works"
                case .spent: "spent"
                case .none: "none"
                }
            }

            /// Until when the link works; nil when it does not.
            public var expiresAt: Date? {
                if case .works(let until) = self { return until }
                return nil
            }
        }

        public let entry: OutboxEntry
        public let link: Link
    }

    public let state: CustomerState?
    public let pendingEmails: [PendingEmail]
    /// The past instant the state was replayed up to; nil for the customer now.
    public let asOf: Date?
    /// Every email the outbox holds for the customer, newest first (empty for a past instant).
    public let emails: [Email]
}

extension CustomerService {
    /// The customer now, or as it was at `asOf` (its events recorded up to that instant, replayed); refused with
    /// `customerNotYetCreated` when it did not exist yet at that instant.
    public func customerView(_ customer: String, asOf: Date? = nil) throws -> CustomerView {
        let view = try store.read { reader in
            let id = try resolve(customer, in: reader)
            if let asOf {
                let state = try CustomerTimeTravel.state(of: id, asOf: asOf, in: reader)
                return CustomerView(state: state?.withoutExpiredEmailChange(at: asOf), pendingEmails: [], asOf: asOf, emails: [])
            }
            let events = try reader.readStream(try StreamName(id.streamName))
            let state = CustomerDecider.replay(try customerEvents(in: events))
            guard state.exists else { return CustomerView(state: nil, pendingEmails: [], asOf: nil, emails: []) }
            let emails = try outboxEmails(of: state, requestedBy: events, in: reader)
            // A link's delivery, by the token it carries.
            var deliveries: [UUID: (id: UUID, state: String)] = [:]
            for email in emails where email.link != .none { deliveries[email.entry.tokenId] = (email.entry.id, email.entry.state.name) }
            return CustomerView(
                state: state.withoutExpiredEmailChange(at: clock()), pendingEmails: pendingEmails(of: state, deliveries: deliveries),
                asOf: nil, emails: emails)
        }
        guard view.state != nil else {
            throw DomainError(.customerNotYetCreated, "Customer \(customer) did not exist yet at \(asOf.map(UTCTime.iso8601) ?? "now")")
        }
        return view
    }

    /// The outbox's emails of the customer whose stream is `events`, newest first: each email is keyed by the event
    /// that asked for it (`EmailOutbox.entryIds(ofRequest:isEmailChangeRequest:)`), so this reads the customer's own entries only.
    func outboxEmails(of state: CustomerState, requestedBy events: [RecordedEvent], in reader: StoreReader) throws -> [CustomerView.Email] {
        let now = clock()
        var emails: [CustomerView.Email] = []
        for event in events.reversed() where CustomerEvent.emailRequestTypes.contains(where: event.typeIs) {
            for id in EmailOutbox.entryIds(ofRequest: event.eventID, isEmailChangeRequest: event.typeIs(CustomerEvent.emailChangeRequestedTypeName)) {
                guard let entry = try outbox.entry(id, in: reader) else { continue }
                emails.append(CustomerView.Email(entry: entry, link: Self.link(of: entry, in: state, at: now)))
            }
        }
        return emails
    }

    /// Whether the link of `entry` still works for the customer in `state`: only the current token of its kind,
    /// unused and unexpired, does; a notice has no link.
    static func link(of entry: OutboxEntry, in state: CustomerState, at now: Date) -> CustomerView.Email.Link {
        let usability: TokenUsability
        switch entry.kind {
        case .verification: usability = state.verificationTokenUsability(entry.tokenId, at: now)
        case .passwordSet: usability = state.passwordTokenUsability(entry.tokenId, at: now)
        case .emailChange: usability = state.emailChangeTokenUsability(entry.tokenId, at: now)
        case .passwordChanged, .emailChangeNotice: return .none
        }
        if case .usable(let token) = usability { return .works(until: token.expiresAt) }
        return .spent
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
