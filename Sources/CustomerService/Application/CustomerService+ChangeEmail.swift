import CustomerAggregate
import EventStore
import Foundation

extension CustomerService {
    /// `change-email CUSTOMER --email NEW [--without-verification --reason TEXT]`: decided inside the write
    /// transaction against the customer's latest state and the directory, so that the new address is checked and
    /// reserved (or switched to) atomically — two processes changing to, or creating, the same address serialize
    /// and the second is told it is already used.
    public func changeEmail(
        _ customer: String, to email: String, withoutVerification: Bool, reason: String?, metadata: CommandMetadata
    ) throws -> CommandOutcome {
        let fingerprint = RequestLog.fingerprint([
            "change-email", customer, email, withoutVerification ? "without-verification" : "verify", reason ?? "\u{1}",
        ])
        return try execute(metadata, fingerprint: fingerprint) { writer, settings, now in
            let (id, state, version) = try loadCustomer(customer, in: writer)
            let command = ChangeEmail(
                email: email, withoutVerification: withoutVerification, reason: reason,
                emailAlreadyUsed: try directory.isEmailTaken(email, byAnyoneBut: id, at: now, in: writer),
                tokenId: TokenCodec.newTokenId())
            let events = try CustomerDecider.decide(.changeEmail(command), state: state, context: DecisionContext(now: now, settings: settings))
            guard !events.isEmpty else {
                return CommandOutcome(customerId: id, reference: state.reference?.description, message: "Nothing changed.", lastPosition: 0)
            }
            let result = try append(events, to: id, expected: .exact(version), metadata: metadata, writer: writer)
            let message: String
            if case .emailChangeRequested(let requested) = events.first {
                message = "Email change is pending: the customer keeps \(state.profile?.email ?? "the current address") until \(requested.email) is confirmed with the emailed link."
            } else {
                message = "Email was changed."
            }
            return CommandOutcome(
                customerId: id, reference: state.reference?.description, message: message,
                lastPosition: result.lastPosition, queuedEmails: events.map(\.queuedEmailCount).reduce(0, +))
        }
    }

    /// The email-change link, used (`verify-email`, the confirmation page): the customer's address becomes the
    /// one the link was sent to, and the old one is free.
    func confirmEmailChange(
        tokenId: UUID, metadata: CommandMetadata, writer: StoreWriter, settings: StoreSettings, now: Date
    ) throws -> CommandOutcome {
        guard let (id, purpose) = try directory.customer(withToken: tokenId, in: writer), purpose == .emailChange else {
            throw DomainError(.tokenUnknown, "This email-change token is unknown: check that the whole link was used",
                              problems: [Problem(field: "token", message: "unknown token", rule: .unknownToken)])
        }
        let (state, version) = try loadCustomer(id, in: writer)
        let requested = state.emailChange.map(\.email) ?? ""
        let holder = requested.isEmpty ? nil : try directory.customer(withEmail: requested, in: writer)
        let command = ConfirmEmailChange(tokenId: tokenId, emailTakenByAnother: holder.map { $0 != id } ?? false)
        return try decideAndAppend(
            .confirmEmailChange(command), to: id, state: state, version: version,
            message: "Email was changed to \(requested).", settings: settings, now: now, metadata: metadata, writer: writer)
    }
}
