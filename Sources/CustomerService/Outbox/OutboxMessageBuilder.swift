import CustomerAggregate
import Foundation
import Mail
import Projections

/// Turns an outbox entry into the email to send, from the customer's **current** state (name, email, locale) and
/// the store's current settings (`base-url`, `sender`); the token is recomputed from its id and the store key
/// (the log never holds it).
///
/// An email whose link would not work is not sent: its token expired before dispatch, a newer email of the same
/// kind replaced it, or (verification) the customer is already verified. The outbox then records the entry as
/// dead with the reason and what to do instead — better no email than a dead link.
enum OutboxMessageBuilder {
    enum Verdict: Equatable {
        case send(EmailMessage)
        /// Will never be sent; the entry becomes dead with this reason.
        case notSent(EmailDead.Reason, String)
        /// Cannot be sent now but may later (a store setting to fix); counts as a failed attempt.
        case retryLater(String)
    }

    /// Most emails go to the customer's current address; the email-change ones to the address they concern,
    /// recorded when they were queued (the new one for the link, the one being replaced for the notice).
    static func recipient(of entry: OutboxEntry, customer state: CustomerState) -> String {
        switch entry.kind {
        case .emailChange, .emailChangeNotice: return entry.recipient
        case .verification, .passwordSet, .passwordChanged: return state.profile?.email ?? entry.recipient
        }
    }

    static func build(
        _ entry: OutboxEntry, customer state: CustomerState, settings: StoreSettings, tokens: TokenCodec, now: Date
    ) -> Verdict {
        guard state.exists, let profile = state.profile else {
            return .notSent(.customerMissing, "not sent: customer \(entry.customerId) is not in the log")
        }
        let reference = state.reference?.description ?? entry.reference
        let link: String
        let kind: EmailKind
        let recipient = Self.recipient(of: entry, customer: state)
        switch entry.kind {
        case .verification:
            switch state.verificationTokenUsability(entry.tokenId, at: now) {
            case .usable: break
            case .used, .alreadyVerified:
                return .notSent(.alreadyVerified, "not sent: \(reference) is already verified")
            case .unknown, .superseded:
                return .notSent(.tokenSuperseded, "not sent: a newer verification email for \(reference) replaced this one (its link would not work)")
            case .expired:
                return .notSent(.tokenExpired, "token expired before dispatch; request a new one with `customer-es resend-verification \(reference)`")
            }
            let token = tokens.token(for: entry.tokenId, kind: .emailVerification)
            link = EmailTemplates.verificationLink(baseURL: settings.baseURL, token: token, locale: profile.locale)
            kind = .verification
        case .passwordSet:
            switch state.passwordTokenUsability(entry.tokenId, at: now) {
            case .usable: break
            case .used, .alreadyVerified, .unknown, .superseded:
                return .notSent(.tokenSuperseded, "not sent: a newer password-set email for \(reference) replaced this one (its link would not work)")
            case .expired:
                return .notSent(.tokenExpired, "token expired before dispatch; request a new one with `customer-es send-password-token \(reference)`")
            }
            let token = tokens.token(for: entry.tokenId, kind: .passwordSet)
            link = EmailTemplates.passwordSetLink(baseURL: settings.baseURL, token: token, locale: profile.locale)
            kind = .passwordSet
        case .passwordChanged:
            // A notice: always worth sending, and its only link is the shop itself.
            link = settings.baseURL
            kind = .passwordChanged
        case .emailChange:
            switch state.emailChangeTokenUsability(entry.tokenId, at: now) {
            case .usable: break
            case .used, .alreadyVerified:
                return .notSent(.alreadyVerified, "not sent: the email change of \(reference) is already confirmed")
            case .unknown, .superseded:
                return .notSent(.tokenSuperseded, "not sent: a newer email change of \(reference) replaced this one (its link would not work)")
            case .expired:
                return .notSent(.tokenExpired, "token expired before dispatch; ask for the change again with `customer-es change-email \(reference) --email …`")
            }
            let token = tokens.token(for: entry.tokenId, kind: .emailChange)
            link = EmailTemplates.verificationLink(baseURL: settings.baseURL, token: token, locale: profile.locale)
            kind = .emailChange
        case .emailChangeNotice:
            // Sent to the address being replaced, even once the change is done: that inbox is whom it warns.
            link = settings.baseURL
            kind = .emailChangeNotice
        }
        guard let sender = Mailbox.parse(settings.sender) else {
            return .retryLater("the sender setting \"\(settings.sender)\" is not an address like `Shop <no-reply@example.com>`; fix it with `customer-es settings sender …`")
        }
        let content = EmailTemplates.content(
            kind: kind, locale: profile.locale,
            firstName: profile.firstName, lastName: profile.lastName, link: link)
        // Date is when the email was queued (RFC 5322: when it was ready to enter the mail system), so that every
        // redelivery of one entry renders the same bytes.
        return .send(EmailMessage(
            from: sender, to: Mailbox(displayName: profile.fullName, address: recipient), subject: content.subject,
            textBody: content.body, date: entry.queuedAt, messageID: entry.messageId))
    }
}
