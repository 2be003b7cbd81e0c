import CustomerService
import Foundation

/// `forget`, `compact` and `migrate`: the right to erasure, and the two store operations it relies on.
enum ErasureCommands {
    static let forget = CommandSpec(
        name: "forget",
        summary: "Erase a customer's personal data from the log, the projections and the data file (right to erasure)",
        positionals: ["CUSTOMER"],
        options: [.required("reason", "TEXT", "why (1–500 characters, kept in the log: do not quote the customer's data)")],
        readsOnly: false
    ) { invocation in
        let service = try invocation.openService()
        let report = try service.forget(
            invocation.positionals[0], reason: invocation.value("reason") ?? "", metadata: invocation.metadata,
            then: .compactNow)
        if invocation.global.json {
            Terminal.out(JSONValue.object([
                ("reference", .string(report.outcome.reference ?? "")),
                ("erasedEvents", .integer(Int64(report.erasedEvents))),
                ("compaction", .string(name(report.compaction))),
            ]).text)
        } else {
            Terminal.out("\(report.outcome.message) Personal data of \(report.erasedEvents) event(s) removed.")
            say(report.compaction)
        }
    }

    static let compact = CommandSpec(
        name: "compact",
        summary: "Rewrite the data file so that erased values do not survive in its free space",
        readsOnly: false
    ) { invocation in
        let service = try invocation.openService()
        let outcome = try service.compactIfPending()
        if invocation.global.json {
            Terminal.out(JSONValue.object([("compaction", .string(name(outcome)))]).text)
        } else {
            say(outcome)
        }
        if outcome == .deferred { throw StoreInUse() }
    }

    static let migrate = CommandSpec(
        name: "migrate",
        summary: "Bring a store written by an older customer-es to the current format (personal data kept apart)",
        readsOnly: false
    ) { invocation in
        let service = try invocation.openService()
        let report = try service.migrate()
        if invocation.global.json {
            Terminal.out(JSONValue.object([
                ("fromFormat", .integer(Int64(report.fromFormat))), ("sealedEvents", .integer(Int64(report.sealedEvents))),
                ("rewrittenReferenceKeys", .integer(Int64(report.rewrittenReferenceKeys))),
                ("compaction", .string(name(report.compaction))),
            ]).text)
        } else if report.sealedEvents == 0 && report.fromFormat == CustomerService.storeFormatVersion {
            Terminal.out("The store is already in the current format (\(report.fromFormat)); nothing changed.")
            say(report.compaction)
        } else {
            Terminal.out("Migrated the store from format \(report.fromFormat) to \(CustomerService.storeFormatVersion): personal data of \(report.sealedEvents) event(s) moved out of the log, \(report.rewrittenReferenceKeys) reference key(s) rewritten by number.")
            say(report.compaction)
        }
    }

    static func name(_ outcome: CompactionOutcome) -> String {
        switch outcome {
        case .compacted: return "compacted"
        case .deferred: return "deferred"
        case .notNeeded: return "not-needed"
        }
    }

    static func say(_ outcome: CompactionOutcome) {
        switch outcome {
        case .compacted: Terminal.out("The data file was compacted: no erased value is left in it.")
        case .notNeeded: break
        case .deferred:
            Terminal.err("warning: another process (e.g. a running serve) has the store open, so the data file was not compacted yet: erased values stay in its free space until `customer-es compact` runs while nobody else uses the store (serve compacts when it stops); a backup taken meanwhile is scrubbed")
        }
    }

    struct StoreInUse: Error, CustomStringConvertible {
        var description: String { "the store is in use by another process; stop it and run `customer-es compact` again" }
    }
}
