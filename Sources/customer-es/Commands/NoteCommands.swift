import CustomerAggregate
import CustomerService

/// `note add|list|withdraw`: the back office's "Add notes to customers". A note is never edited; it can be
/// withdrawn, and the log keeps both with who did it.
enum NoteCommands {
    static let add = CommandSpec(
        name: "note add",
        summary: "Add a note to a customer; the actor (--actor, default the OS user) is its author",
        positionals: ["CUSTOMER"],
        options: [.required("message", "TEXT", "1–5 000 characters after trimming; line breaks allowed")],
        readsOnly: false
    ) { invocation in
        guard let message = invocation.value("message") else {
            throw CLIError.usage("--message is required", command: invocation.command)
        }
        let service = try invocation.openService()
        let outcome = try service.addNote(invocation.positionals[0], message: message, metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation, addedIdKey: "noteId")
    }

    static let withdraw = CommandSpec(
        name: "note withdraw",
        summary: "Withdraw a note: it leaves show, history keeps it and who withdrew it",
        positionals: ["CUSTOMER", "NOTE-ID"],
        options: [.value("reason", "TEXT", "why, at most 255 characters on one line")],
        readsOnly: false
    ) { invocation in
        let service = try invocation.openService()
        let outcome = try service.withdrawNote(
            invocation.positionals[0], noteId: invocation.positionals[1], reason: invocation.value("reason"),
            metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }

    static let list = CommandSpec(
        name: "note list",
        summary: "List a customer's notes, oldest first, with author and time; --all includes withdrawn ones",
        positionals: ["CUSTOMER"],
        options: [.flag("all", "also the withdrawn notes, with who withdrew them, when and why")],
        readsOnly: true
    ) { invocation in
        let service = try invocation.openService()
        let notes = try service.notes(of: invocation.positionals[0], includingWithdrawn: invocation.flag("all"))
        if invocation.global.json {
            Terminal.out(JSONValue.array(notes.map { CustomerJSON.object($0.shownValues) }).text)
            return
        }
        if notes.isEmpty { Terminal.out("No notes.") }
        for line in textLines(notes) { Terminal.out(line) }
    }

    /// "N2  2026-12-02T10:00:00Z  by alice", then the message line by line (indented, control characters escaped).
    static func textLines(_ notes: [CustomerNote]) -> [String] {
        notes.flatMap { note -> [String] in
            var heading = "\(note.id)  \(ISOTime.format(note.addedAt))  by \(note.author.escapingControlCharacters)"
            if let withdrawal = note.withdrawal {
                heading += "  (withdrawn \(ISOTime.format(withdrawal.withdrawnAt)) by \(withdrawal.withdrawnBy.escapingControlCharacters)"
                    + (withdrawal.reason.map { ": \($0.escapingControlCharacters)" } ?? "") + ")"
            }
            let lines = note.message.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + String($0).escapingControlCharacters }
            return [heading] + lines
        }
    }
}
