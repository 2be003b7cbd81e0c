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

    var storeDirectory: URL {
        let path = global.store ?? ProcessInfo.processInfo.environment["CUSTOMER_ES_STORE"] ?? "./customer-es-data"
        return URL(fileURLWithPath: path)
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

    /// Whether the store folder holds a store (or what is left of one); an absent or empty folder does not.
    var storeExists: Bool { CustomerService.storeExists(at: storeDirectory) }

    /// Opens the store; a read on a missing store is an error (exit 3), never a silent creation. A command that
    /// reads only opens it read-only (nothing is written, a read-only medium works); `writes` says that a command
    /// which must not create the store still writes to it (rebuild, dispatch).
    func openService(readOnly: Bool? = nil, writes: Bool = false) throws -> CustomerService {
        let directory = storeDirectory
        let reading = readOnly ?? command.readsOnly
        if reading && !storeExists {
            throw CLIError.store("no store at \(directory.path): create a customer first, or pass --store DIR (or set CUSTOMER_ES_STORE)")
        }
        var timeout: TimeInterval?
        if let text = global.lockTimeout {
            guard let seconds = StoreSettings.parseDuration(text) else {
                throw CLIError.usage("--lock-timeout must be a duration such as 30s, 5m or 1h, got \"\(text)\"", command: command)
            }
            timeout = seconds
        }
        return try CustomerService(
            directory: directory, access: reading && !writes ? .readOnly : .readWrite, lockTimeout: timeout,
            onWaitingForWriter: WriterWaitNotice.show)
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
