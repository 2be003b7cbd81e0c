import CustomerAggregate
import CustomerService
import Foundation

/// `events [--from POSITION] [--limit N] [--follow]`: the raw global log; `--follow` tails it.
enum EventsCommand {
    static let spec = CommandSpec(
        name: "events",
        summary: "Print the raw global log; --follow keeps printing new events until Ctrl-C",
        options: [
            .value("from", "POSITION", "first position to print (default 1)"),
            .value("limit", "N", "at most N events (default: all; with --follow: no limit)"),
            .flag("follow", "keep printing events as other processes append them (JSON Lines with --json)"),
        ],
        readsOnly: true,
        run: run)

    static func run(_ invocation: Invocation) throws {
        let from = UInt64(try invocation.integer("from", default: 1, range: 1...Int.max))
        let limit = try invocation.integer("limit", default: Int.max, range: 1...Int.max)
        let service = try invocation.openService()
        let json = invocation.global.json
        if !invocation.flag("follow") {
            let events = try service.events(from: from, limit: limit)
            if json {
                Terminal.out(JSONValue.array(events.map(EventJSON.object)).text)
            } else {
                events.forEach { Terminal.out(EventJSON.line($0)) }
            }
            return
        }
        let stop = StopRequest.install()
        try service.followEvents(from: from, limit: limit, shouldStop: stop.isRequested) { event in
            Terminal.out(json ? EventJSON.object(event).text : EventJSON.line(event))
        }
    }
}

/// The event shape of `history --json` / `events --json` (`position`, `stream`, `version`, `type`,
/// `recordedAt`, `actor`, `data`) and its one-line text form.
enum EventJSON {
    static func object(_ event: LoggedEvent) -> JSONValue {
        .object([
            ("position", .integer(Int64(event.position))),
            ("stream", .string(event.stream)),
            ("version", .integer(Int64(event.version))),
            ("type", .string(event.type)),
            ("recordedAt", .date(event.recordedAt)),
            ("actor", .string(event.actor)),
            ("osUser", .string(event.osUser)),
            ("data", .object(event.data.map { ($0.name, JSONValue(field: $0.value)) })),
        ])
    }

    /// Stored text is escaped (a tab or an escape sequence in a name stays visible text, one event per line).
    static func line(_ event: LoggedEvent) -> String {
        [
            "\(event.position)", ISOTime.format(event.recordedAt), "\(event.stream.escapingControlCharacters)@\(event.version)",
            event.type.escapingControlCharacters, who(event.actor, event.osUser), event.summary.escapingControlCharacters,
        ].joined(separator: "\t")
    }

    /// The actor, and the OS account that ran the command when it is another name (escaped for a terminal).
    static func who(_ actor: String, _ osUser: String?) -> String {
        guard let osUser, osUser != actor else { return actor.escapingControlCharacters }
        return "\(actor.escapingControlCharacters) (OS user \(osUser.escapingControlCharacters))"
    }
}

extension JSONValue {
    init(field: FieldValue) {
        switch field {
        case .null: self = .null
        case .string(let value): self = .string(value)
        case .integer(let value): self = .integer(value)
        case .bool(let value): self = .bool(value)
        case .timestamp(let value): self = .date(value)
        }
    }
}
