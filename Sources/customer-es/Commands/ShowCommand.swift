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
            // The document the admin API's `GET /api/customers/{customer}` answers too.
            if let shown = view.shownJSON { Terminal.out(shown.text) }
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
                + "\(entry.attempts) attempt\(entry.attempts == 1 ? "" : "s"), link \(email.link.name)")
        }
        let addresses = AddressCommands.textLines(state.addressBook.shownAddresses)
        Terminal.out(addresses.isEmpty ? "Addresses      none" : "Addresses")
        for line in addresses { Terminal.out("  " + line) }
        let notes = NoteCommands.textLines(state.liveNotes)
        Terminal.out(notes.isEmpty ? "Notes          none" : "Notes")
        for line in notes { Terminal.out("  " + line) }
    }
}
