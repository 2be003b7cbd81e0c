import CustomerAggregate
import CustomerService
import EventStore
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
            let events = try service.store.readAll(from: from, limit: limit)
            if json {
                Terminal.out(JSONValue.array(events.map(EventJSON.object)).text)
            } else {
                events.forEach { Terminal.out(EventJSON.line($0)) }
            }
            return
        }
        let stop = StopRequest.install()
        var next = from
        var printed = 0
        while !stop.isRequested() && printed < limit {
            let batch = try service.store.readAll(from: next, limit: min(1000, limit - printed))
            for event in batch {
                Terminal.out(json ? EventJSON.object(event).text : EventJSON.line(event))
            }
            printed += batch.count
            if let last = batch.last {
                next = last.position + 1
            } else {
                usleep(100_000)  // the log is idle: poll the head cheaply (a read never blocks writers)
            }
        }
    }
}

/// The event shape of CONTRACT §4 (`history --json` / `events --json`) and its one-line text form.
enum EventJSON {
    static func object(_ event: RecordedEvent) -> JSONValue {
        let described = EventCatalog.describe(event)
        return .object([
            ("position", .integer(Int64(event.position))),
            ("stream", .string(event.stream.rawValue)),
            ("version", .integer(Int64(event.version))),
            ("type", .string(event.type)),
            ("recordedAt", .date(event.recordedAt)),
            ("actor", .string(event.metadata.actor)),
            ("data", .object(described.fields.map { ($0.name, JSONValue(field: $0.value)) })),
        ])
    }

    static func line(_ event: RecordedEvent) -> String {
        let described = EventCatalog.describe(event)
        return "\(event.position)\t\(ISOTime.format(event.recordedAt))\t\(event.stream)@\(event.version)\t\(event.type)\t\(event.metadata.actor)\t\(described.summary)"
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
