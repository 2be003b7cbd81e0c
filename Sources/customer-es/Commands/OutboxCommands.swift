import CustomerService
import Dispatch
import Foundation

/// `outbox list`, `outbox dispatch` and `outbox retry`: the queued emails, their delivery, and requeuing dead ones.
enum OutboxCommands {
    static let states = ["pending", "sent", "failed", "dead"]

    static let list = CommandSpec(
        name: "outbox list",
        summary: "List the queued emails and their delivery state",
        options: [.value("status", "STATE", "only pending, sent, failed or dead emails")],
        readsOnly: true,
        run: runList)

    static let dispatch = CommandSpec(
        name: "outbox dispatch",
        summary: "Deliver the due emails and record each outcome as an event; --watch keeps going until Ctrl-C",
        options: [
            .value("transport", "file|smtp", "where to deliver (default: file)"),
            .value("dir", "DIR", "file transport: the folder of the .eml files (default: <store>/mail)"),
            .value("smtp-host", "HOST", "smtp transport: the relay (default: 127.0.0.1)"),
            .value("smtp-port", "PORT", "smtp transport: its port (default: 25)"),
            .value("limit", "N", "deliver at most N emails"),
            .flag("watch", "keep delivering as emails become due; Ctrl-C or SIGTERM stops after the email in flight"),
        ],
        readsOnly: true,
        run: runDispatch)

    static let retry: CommandSpec = {
        var spec = CommandSpec(
            name: "outbox retry",
            summary: "Requeue dead emails (recorded as an event): outbox retry ID… or outbox retry --dead",
            positionals: ["ID"], minimumPositionals: 0,
            options: [.flag("dead", "every dead email that was given up (rejected, or out of attempts)")],
            readsOnly: false,
            run: runRetry)
        spec.repeatsLastPositional = true
        return spec
    }()

    // MARK: list

    static func runList(_ invocation: Invocation) throws {
        var state: String?
        if let text = invocation.value("status") {
            guard states.contains(text.lowercased()) else {
                throw CLIError.usage("--status must be one of \(states.joined(separator: ", ")), got \"\(text)\"", command: invocation.command)
            }
            state = text.lowercased()
        }
        let service = try invocation.openService()
        let entries = try service.outboxEntries(state: state)
        if invocation.global.json {
            Terminal.out(JSONValue.object([("items", .array(entries.map(json))), ("total", .integer(Int64(entries.count)))]).text)
            return
        }
        guard !entries.isEmpty else {
            Terminal.out(state.map { "No \($0) emails in the outbox." } ?? "No emails in the outbox.")
            return
        }
        let header = ["ID", "REFERENCE", "KIND", "RECIPIENT", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"]
        let rows = entries.map { entry in
            [
                entry.id.uuidString.lowercased(), entry.reference, entry.kind.rawValue, entry.recipient, entry.state.name,
                "\(entry.attempts)", entry.nextAttemptAt.map(ISOTime.format) ?? "-", entry.currentError ?? "-",
            ]
        }
        for line in table([header] + rows) { Terminal.out(line) }
        let counts = states.compactMap { name -> String? in
            let count = entries.filter { $0.state.name == name }.count
            return count == 0 ? nil : "\(count) \(name)"
        }
        Terminal.out("\(entries.count) email\(entries.count == 1 ? "" : "s"): \(counts.joined(separator: ", "))")
    }

    static func json(_ entry: OutboxEntry) -> JSONValue {
        .object([
            ("id", .string(entry.id.uuidString.lowercased())),
            ("reference", .string(entry.reference)),
            ("kind", .string(entry.kind.rawValue)),
            ("recipient", .string(entry.recipient)),
            ("state", .string(entry.state.name)),
            ("attempts", .integer(Int64(entry.attempts))),
            ("queuedAt", .date(entry.queuedAt)),
            ("nextAttemptAt", .date(entry.nextAttemptAt)),
            ("lastError", .string(entry.currentError)),
            ("deadReason", .string(entry.deadReason?.rawValue)),
            ("messageId", .string(entry.messageId)),
            ("sentAt", .date(entry.sentAt)),
            ("transport", .string(entry.transport)),
        ])
    }

    /// Left-aligned columns; the last one is not padded.
    static func table(_ rows: [[String]]) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == columns - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }

    // MARK: retry

    static func runRetry(_ invocation: Invocation) throws {
        let all = invocation.flag("dead")
        guard all != !invocation.positionals.isEmpty else {
            throw CLIError.usage(all ? "give either email ids or --dead, not both" : "give the ids of the emails to retry, or --dead",
                                 command: invocation.command)
        }
        var ids: [UUID] = []
        for text in invocation.positionals {
            guard let id = UUID(uuidString: text) else {
                throw CLIError.usage("\"\(text)\" is not an email id (the ID column of `outbox list`)", command: invocation.command)
            }
            ids.append(id)
        }
        let service = try invocation.openService()
        let outcome = try service.retryDeadEmails(all ? .allGivenUp : .entries(ids), metadata: invocation.metadata)
        if invocation.global.json {
            Terminal.out(JSONValue.object([("message", .string(outcome.message)), ("replayed", .bool(outcome.isReplay))]).text)
        } else {
            Terminal.out(outcome.message)
        }
    }

    // MARK: dispatch

    static func runDispatch(_ invocation: Invocation) throws {
        let choice = try transportChoice(invocation)
        let limit = try invocation.integer("limit", default: Int.max, range: 1...Int.max)
        let watch = invocation.flag("watch")
        let json = invocation.global.json
        let service = try invocation.openService(writes: true)
        let dispatcher: OutboxDispatcher
        do {
            dispatcher = try service.outboxDispatcher(choice, metadata: invocation.metadata)
        } catch let unusable as OutboxTransportUnusable {
            throw CLIError.usage("\(unusable)", command: invocation.command)
        }
        let stop = StopRequest.install()
        if let warning = try service.settings().senderWarning { Terminal.err("warning: \(warning)") }

        var emails: [JSONValue] = []
        let onDelivery: (OutboxDelivery) -> Void = { delivery in
            if json {
                let object = deliveryJSON(delivery)
                if watch { Terminal.out(object.text) } else { emails.append(object) }
            } else {
                Terminal.out(line(delivery))
            }
        }
        if watch && !json {
            Terminal.err("Watching the outbox of \(service.storeDirectory.path) (\(describe(choice, service))); Ctrl-C stops.")
        }
        let summary = watch
            ? try dispatcher.watch(limit: limit, shouldStop: stop.isRequested, onDelivery: onDelivery)
            : try dispatcher.dispatchDue(limit: limit, shouldStop: stop.isRequested, onDelivery: onDelivery)

        if json {
            var pairs: [(String, JSONValue)] = [
                ("sent", .integer(Int64(summary.sent))), ("failed", .integer(Int64(summary.failed))),
                ("dead", .integer(Int64(summary.dead))), ("notSent", .integer(Int64(summary.notSent))),
                ("waiting", .integer(Int64(summary.waiting))), ("nextDueAt", .date(summary.nextDueAt)),
                ("interrupted", .bool(summary.interrupted)), ("outage", .string(summary.outage)),
            ]
            if !watch { pairs.append(("emails", .array(emails))) }
            Terminal.out(JSONValue.object(watch ? [("summary", .object(pairs))] : pairs).text)
            return
        }
        for text in summaryLines(summary, choice: choice, service: service) { Terminal.out(text) }
    }

    static func transportChoice(_ invocation: Invocation) throws -> OutboxTransportChoice {
        let name = (invocation.value("transport") ?? "file").lowercased()
        switch name {
        case "file":
            for option in ["smtp-host", "smtp-port"] where invocation.value(option) != nil {
                throw CLIError.usage("--\(option) is for --transport smtp", command: invocation.command)
            }
            if let dir = invocation.value("dir"), dir.isEmpty {
                throw CLIError.usage("--dir must not be empty", command: invocation.command)
            }
            return .file(directory: invocation.value("dir").map { URL(fileURLWithPath: $0, isDirectory: true) })
        case "smtp":
            if invocation.value("dir") != nil {
                throw CLIError.usage("--dir is for --transport file", command: invocation.command)
            }
            let host = invocation.value("smtp-host") ?? "127.0.0.1"
            guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
                throw CLIError.usage("--smtp-host must be a host name or address, got \"\(host)\"", command: invocation.command)
            }
            let port = try invocation.integer("smtp-port", default: 25, range: 1...65_535)
            return .smtp(host: host, port: UInt16(port))
        default:
            throw CLIError.usage("--transport must be file or smtp, got \"\(invocation.value("transport") ?? "")\"", command: invocation.command)
        }
    }

    static func describe(_ choice: OutboxTransportChoice, _ service: CustomerService) -> String {
        switch choice {
        case .file(let directory): return "file transport into \((directory ?? service.mailDirectory).path)"
        case .smtp(let host, let port): return "SMTP relay \(host):\(port)"
        }
    }

    /// One line per email, as it happens.
    static func line(_ delivery: OutboxDelivery) -> String {
        let who = "\(delivery.entry.reference) \(delivery.entry.kind.rawValue) email to \(delivery.recipient)"
        switch delivery.outcome {
        case .sent(let transport, let detail):
            return "sent    \(who) <\(delivery.messageId)> (\(transport): \(detail))"
        case .failed(let error, let next):
            return "failed  \(who), attempt \(delivery.attempts); next attempt at \(ISOTime.format(next)): \(error)"
        case .dead(let reason, let message):
            let what = reason.isNotSent ? "" : " after \(delivery.attempts) attempt\(delivery.attempts == 1 ? "" : "s")"
            return "dead    \(who)\(what): \(message)"
        }
    }

    static func deliveryJSON(_ delivery: OutboxDelivery) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(delivery.entry.id.uuidString.lowercased())),
            ("reference", .string(delivery.entry.reference)),
            ("kind", .string(delivery.entry.kind.rawValue)),
            ("recipient", .string(delivery.recipient)),
            ("messageId", .string(delivery.messageId)),
            ("attempts", .integer(Int64(delivery.attempts))),
            ("at", .date(delivery.at)),
        ]
        switch delivery.outcome {
        case .sent(let transport, let detail):
            pairs += [("outcome", .string("sent")), ("transport", .string(transport)), ("detail", .string(detail))]
        case .failed(let error, let next):
            pairs += [("outcome", .string("failed")), ("error", .string(error)), ("nextAttemptAt", .date(next))]
        case .dead(let reason, let message):
            pairs += [("outcome", .string("dead")), ("reason", .string(reason.rawValue)), ("error", .string(message))]
        }
        return .object(pairs)
    }

    static func summaryLines(_ summary: OutboxDispatchSummary, choice: OutboxTransportChoice, service: CustomerService) -> [String] {
        var lines: [String] = []
        let total = summary.processed
        var counts = "\(summary.sent) sent, \(summary.failed) failed, \(summary.dead) dead"
        if summary.notSent > 0 { counts += " (\(summary.notSent) not sent on purpose)" }
        lines.append(total == 0
            ? (summary.outage == nil ? "No emails were due." : "Nothing was delivered.")
            : "Dispatched \(total) email\(total == 1 ? "" : "s") (\(describe(choice, service))): \(counts).")
        if summary.interrupted { lines.append("Stopped on request; the other emails stay queued.") }
        if summary.handedOver > 0 {
            lines.append("Another dispatcher took over emails whose lease had expired while this one was paused or slow; "
                + "they were left to it.")
        }
        if let outage = summary.outage {
            lines.append("Delivery stopped: \(outage). The emails stay queued and no attempt was counted; "
                + "fix this and dispatch again.")
        }
        if summary.waiting > 0, let next = summary.nextDueAt {
            lines.append("\(summary.waiting) email\(summary.waiting == 1 ? "" : "s") still waiting; the next is due at \(ISOTime.format(next)).")
        }
        if summary.failed > 0 {
            lines.append("Failed deliveries are retried with backoff: run `customer-es outbox dispatch` again after the "
                + "next attempt time, or keep `outbox dispatch --watch` running.")
        }
        return lines
    }
}
