import CustomerAggregate
import CustomerService
import Foundation

/// The options every command accepts, anywhere on the line.
struct GlobalOptions: Sendable {
    var store: String?
    var json = false
    var actor: String?
    var requestID: String?
    var lockTimeout: String?
    var help = false
    var version = false

    static let specs: [OptionSpec] = [
        .value("store", "DIR", "the store folder (default: $CUSTOMER_ES_STORE, else ./customer-es-data)"),
        .flag("json", "print results and errors as JSON"),
        .value("actor", "NAME", "who is acting, recorded in every event (default: the OS user)"),
        .value("request-id", "ID", "makes the command idempotent: a retry with the same id and input does nothing"),
        .value("lock-timeout", "DURATION", "writes: give up (exit 3, nothing written) after waiting this long for another writer, e.g. 30s, 5m (default: wait)"),
        .flag("help", "show help"),
        .flag("version", "show the version"),
    ]
}

/// A parsed command line, ready to run.
struct Invocation: Sendable {
    let command: CommandSpec
    let global: GlobalOptions
    let values: [String: String]
    let flags: Set<String>
    let positionals: [String]

    func value(_ name: String) -> String? { values[name] }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// `--store`, else `$CUSTOMER_ES_STORE`, else `./customer-es-data`.
    /// An empty `--store` or `$CUSTOMER_ES_STORE` is a usage error, never the current folder.
    func storeDirectory() throws -> URL {
        if let store = global.store {
            guard !store.isEmpty else { throw CLIError.usage("--store must not be empty", command: command) }
            return URL(fileURLWithPath: store)
        }
        if let store = try RawArguments.environment("CUSTOMER_ES_STORE") {
            guard !store.isEmpty else {
                throw CLIError.usage("$CUSTOMER_ES_STORE is set but empty; unset it or name the store folder", command: command)
            }
            return URL(fileURLWithPath: store)
        }
        return URL(fileURLWithPath: "./customer-es-data")
    }

    var metadata: CommandMetadata {
        CommandMetadata(actor: global.actor ?? CommandMetadata.currentUser, requestID: global.requestID)
    }

    /// A positive integer option, or a usage error naming it.
    func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = value(name) else { return defaultValue }
        guard let number = Int(text), range.contains(number) else {
            throw CLIError.usage("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"", command: command)
        }
        return number
    }

    /// Opens the store as the command needs it: a read on a missing store is an error (exit 3), never a silent
    /// creation, and a command that reads only opens it read-only. `writes` says that a command which must not
    /// create the store still writes to it (rebuild, dispatch).
    func openService(readOnly: Bool? = nil, writes: Bool = false) throws -> CustomerService {
        let reading = readOnly ?? command.readsOnly
        return try storeLocation().open(for: reading ? (writes ? .update : .read) : .write)
    }

    /// `--store`, else `$CUSTOMER_ES_STORE`, else `./customer-es-data`, with `--lock-timeout`.
    func storeLocation() throws -> StoreLocation {
        var timeout: TimeInterval?
        if let text = global.lockTimeout {
            guard let seconds = StoreSettings.parseDuration(text) else {
                throw CLIError.usage("--lock-timeout must be a duration such as 30s, 5m or 1h, got \"\(text)\"", command: command)
            }
            timeout = seconds
        }
        return StoreLocation(directory: try storeDirectory(), lockTimeout: timeout, onWaitingForWriter: WriterWaitNotice.show)
    }
}

/// "waiting for another writer …" on stderr when a write has waited a second for another process: on a terminal,
/// or whenever `CUSTOMER_ES_REPORT_LOCK_WAIT=1` asks for it (scripts and tests).
enum WriterWaitNotice {
    @Sendable static func show(_ holder: Int32?) {
        let asked = ProcessInfo.processInfo.environment["CUSTOMER_ES_REPORT_LOCK_WAIT"] == "1"
        guard asked || Terminal.isInteractive else { return }
        let who = holder.map { " (pid \($0))" } ?? ""
        Terminal.err("waiting for another writer\(who) to finish; --lock-timeout DURATION gives up after that long …")
    }
}
