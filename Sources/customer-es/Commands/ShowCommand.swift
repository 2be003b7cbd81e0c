import CustomerAggregate
import CustomerService
import Foundation

/// `show CUSTOMER [--as-of TIME]`: every field, the status and its times, and the emails waiting to go out.
enum ShowCommand {
    static let spec = CommandSpec(
        name: "show",
        summary: "Show one customer; --as-of replays the log up to a past instant",
        positionals: ["CUSTOMER"],
        options: [.value("as-of", "TIME", "ISO 8601 time (2026-11-29T12:00:00Z) or date (midnight UTC)")],
        readsOnly: true,
        run: run)

    static func run(_ invocation: Invocation) throws {
        let asOf = try ISOTime.argument("as-of", of: invocation)
        let service = try invocation.openService()
        let view = try service.customerView(invocation.positionals[0], asOf: asOf)
        guard let state = view.state else { return }  // customerView refuses a customer that did not exist yet
        if invocation.global.json {
            var pairs: [(String, JSONValue)]
            if case .object(let fields) = CustomerJSON.object(state) { pairs = fields } else { pairs = [] }
            pairs.append(("asOf", .date(asOf)))
            pairs.append(("pendingEmails", .array(view.pendingEmails.map { email in
                .object([("kind", .string(email.kind)), ("to", .string(email.recipient)), ("id", .string(email.outboxId?.uuidString.lowercased())), ("expiresAt", .date(email.expiresAt)), ("delivery", .string(email.delivery))])
            })))
            pairs.append(("outbox", .array(view.emails.map { email in
                .object([
                    ("id", .string(email.entry.id.uuidString.lowercased())), ("kind", .string(email.entry.kind.rawValue)),
                    ("to", .string(email.entry.recipient)), ("queuedAt", .date(email.entry.queuedAt)),
                    ("delivery", .string(email.entry.state.name)), ("attempts", .integer(Int64(email.entry.attempts))),
                    ("linkState", .string(linkState(email.link))), ("linkExpiresAt", .date(linkExpiry(email.link))),
                ])
            })))
            pairs.append(("addresses", .array(state.addressBook.shownAddresses.map(CustomerJSON.object))))
            pairs.append(("notes", .array(state.liveNotes.map { CustomerJSON.object($0.shownValues) })))
            Terminal.out(JSONValue.object(pairs).text)
            return
        }
        if let asOf { Terminal.out("As of \(ISOTime.format(asOf)) (replayed from the log)") }
        for (label, value) in CustomerJSON.lines(state) {
            Terminal.out(label.padding(toLength: 15, withPad: " ", startingAt: 0) + value)
        }
        if asOf == nil {
            if view.pendingEmails.isEmpty {
                Terminal.out("Emails         no usable link")
            }
            // Never the link itself: it would let whoever runs `show` act for the customer.
            for email in view.pendingEmails {
                let delivery = email.delivery.map { " (\($0) in the outbox)" } ?? ""
                Terminal.out("Email          \(email.kind) to \(email.recipient)\(delivery), link valid until \(ISOTime.format(email.expiresAt))")
            }
        }
        // Every email of the customer's outbox, newest first: its delivery, and whether its link still works.
        for email in view.emails {
            let entry = email.entry
            Terminal.out("Outbox         \(ISOTime.format(entry.queuedAt)) \(entry.kind.rawValue) to \(entry.recipient): \(entry.state.name), "
                + "\(entry.attempts) attempt\(entry.attempts == 1 ? "" : "s"), link \(linkState(email.link))")
        }
        let addresses = AddressCommands.textLines(state.addressBook.shownAddresses)
        Terminal.out(addresses.isEmpty ? "Addresses      none" : "Addresses")
        for line in addresses { Terminal.out("  " + line) }
        let notes = NoteCommands.textLines(state.liveNotes)
        Terminal.out(notes.isEmpty ? "Notes          none" : "Notes")
        for line in notes { Terminal.out("  " + line) }
    }

    /// `works`, `spent` (used, replaced or expired) or `none` (a notice carries no link).
    static func linkState(_ link: CustomerView.Email.Link) -> String {
        switch link {
        case .works: return "works"
        case .spent: return "spent"
        case .none: return "none"
        }
    }

    static func linkExpiry(_ link: CustomerView.Email.Link) -> Date? {
        if case .works(let until) = link { return until }
        return nil
    }
}
