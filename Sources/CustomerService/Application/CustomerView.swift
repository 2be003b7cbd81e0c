import CustomerAggregate
import EventStore
import Foundation
import Mail
import Projections

/// A customer as `show` presents it: the state (now or at a past instant) and the emails waiting to go out.
public struct CustomerView: Sendable {
    public struct PendingEmail: Sendable {
        public let kind: String
        public let recipient: String
        public let link: String
        public let expiresAt: Date
        /// The outbox's delivery state of this email (pending, sent, failed, dead), when it is in the outbox.
        public let delivery: String?
    }

    public let state: CustomerState?
    public let pendingEmails: [PendingEmail]
}

extension CustomerService {
    /// The customer now, or as it was at `asOf` (its events recorded up to that instant, replayed); refused with
    /// `customerNotYetCreated` when it did not exist yet at that instant.
    public func customerView(_ customer: String, asOf: Date? = nil) throws -> CustomerView {
        let view = try store.read { reader in
            let id = try resolve(customer, in: reader)
            let settings = try loadSettings(in: reader)
            if let asOf {
                return CustomerView(state: try CustomerTimeTravel.state(of: id, asOf: asOf, in: reader), pendingEmails: [])
            }
            let events = try reader.readStream(try StreamName(id.streamName))
            let state = CustomerDecider.replay(try customerEvents(in: events))
            guard state.exists else { return CustomerView(state: nil, pendingEmails: []) }
            // The outbox entry of an email is keyed by the id of the event that asked for it.
            var deliveries: [UUID: String] = [:]
            for event in events where CustomerEvent.emailRequestTypes.contains(where: event.typeIs) {
                if let entry = try outbox.entry(event.eventID, in: reader) {
                    switch try CustomerEvent.decode(event) {
                    case .verificationRequested(let requested): deliveries[requested.tokenId] = entry.state.name
                    case .passwordTokenIssued(let issued): deliveries[issued.tokenId] = entry.state.name
                    default: break
                    }
                }
            }
            return CustomerView(state: state, pendingEmails: pendingEmails(of: state, settings: settings, deliveries: deliveries))
        }
        guard view.state != nil else {
            throw DomainError(.customerNotYetCreated, "Customer \(customer) did not exist yet at \(asOf.map(UTCTime.iso8601) ?? "now")")
        }
        return view
    }

    /// The links of the tokens that are still usable (what the emails carry), with their delivery state.
    func pendingEmails(of state: CustomerState, settings: StoreSettings, deliveries: [UUID: String]) -> [CustomerView.PendingEmail] {
        guard let profile = state.profile else { return [] }
        let now = clock()
        var emails: [CustomerView.PendingEmail] = []
        if let token = state.verificationToken, state.verificationTokenUsability(token.id, at: now).isUsable {
            let link = EmailTemplates.verificationLink(
                baseURL: settings.baseURL, token: tokens.token(for: token.id, kind: .emailVerification), locale: profile.locale)
            emails.append(.init(kind: "verification", recipient: profile.email, link: link, expiresAt: token.expiresAt, delivery: deliveries[token.id]))
        }
        if let token = state.passwordToken, state.passwordTokenUsability(token.id, at: now).isUsable {
            let link = EmailTemplates.passwordSetLink(
                baseURL: settings.baseURL, token: tokens.token(for: token.id, kind: .passwordSet), locale: profile.locale)
            emails.append(.init(kind: "password-set", recipient: profile.email, link: link, expiresAt: token.expiresAt, delivery: deliveries[token.id]))
        }
        return emails
    }
}
