import CustomerAggregate
import CustomerService
import Foundation

/// `history CUSTOMER` and `audit`: the log read back for people.
enum HistoryAndAuditCommands {
    static let history = CommandSpec(
        name: "history",
        summary: "Every event of one customer, oldest first: position, time, type, actor, what changed",
        positionals: ["CUSTOMER"], readsOnly: true
    ) { invocation in
        let service = try invocation.openService()
        let entries = try service.history(of: invocation.positionals[0])
        if invocation.global.json {
            Terminal.out(JSONValue.array(entries.map { entry in
                .object([
                    ("position", .integer(Int64(entry.position))),
                    ("stream", .string(entry.stream)),
                    ("version", .integer(Int64(entry.version))),
                    ("type", .string(entry.type)),
                    ("recordedAt", .date(entry.recordedAt)),
                    ("actor", .string(entry.actor)),
                    ("osUser", .string(entry.osUser)),
                    ("data", .object(entry.data.map { ($0.name, JSONValue(field: $0.value)) })),
                    ("summary", .string(entry.summary)),
                    ("changes", .array(entry.changes.map { change in
                        .object([("field", .string(change.field)), ("from", .string(change.from)), ("to", .string(change.to))])
                    })),
                ])
            }).text)
            return
        }
        for entry in entries {
            // Stored text is shown escaped: a name or an actor must not break the line or drive the terminal.
            Terminal.out("#\(entry.position)  \(ISOTime.format(entry.recordedAt))  \(entry.type.escapingControlCharacters)  by \(EventJSON.who(entry.actor, entry.osUser))")
            Terminal.out("    \(entry.summary.escapingControlCharacters)")
            for change in entry.changes {
                Terminal.out("    \(change.field): \((change.from ?? "—").escapingControlCharacters) → \((change.to ?? "—").escapingControlCharacters)")
            }
        }
    }

    static let audit = CommandSpec(
        name: "audit",
        summary: "Status changes across customers, from the log: time, reference, from → to, cause, actor",
        options: [
            .value("since", "TIME", "from this instant (ISO 8601 time or date), inclusive"),
            .value("until", "TIME", "up to this instant, inclusive"),
            .value("customer", "CUSTOMER", "only this customer (reference or email)"),
        ],
        readsOnly: true
    ) { invocation in
        let since = try ISOTime.argument("since", of: invocation), until = try ISOTime.argument("until", of: invocation)
        if let since, let until, since > until {
            throw CLIError.usage("--since must not be after --until", command: invocation.command)
        }
        let service = try invocation.openService()
        let changes = try service.statusChanges(since: since, until: until, customer: invocation.value("customer"))
        if invocation.global.json {
            Terminal.out(JSONValue.array(changes.map { change in
                .object([
                    ("recordedAt", .date(change.recordedAt)),
                    ("effectiveAt", .date(change.effectiveAt)),
                    ("reference", .string(change.reference?.description)),
                    ("from", .string(change.from?.rawValue)),
                    ("to", .string(change.to.rawValue)),
                    ("cause", .string(change.causeType)),
                    ("position", .integer(Int64(change.causePosition))),
                    ("actor", .string(change.actor)),
                ])
            }).text)
            return
        }
        for change in changes {
            let effective = change.effectiveAt == change.recordedAt ? "" : " (effective \(ISOTime.format(change.effectiveAt)))"
            Terminal.out("\(ISOTime.format(change.recordedAt))  \(change.reference?.description ?? "?")  \(change.from?.rawValue ?? "(new)") → \(change.to.rawValue)  \(change.causeType) #\(change.causePosition)  by \(change.actor.escapingControlCharacters)\(effective)")
        }
        if changes.isEmpty { Terminal.out("No status changes in that range.") }
    }
}
