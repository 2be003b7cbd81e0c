import CustomerService
import Foundation

/// The options every command accepts, anywhere on the line.
struct GlobalOptions: Sendable {
    var store: String?
    var json = false
    var actor: String?
    var requestID: String?
    var help = false
    var version = false

    static let specs: [OptionSpec] = [
        .value("store", "DIR", "the store folder (default: $CUSTOMER_ES_STORE, else ./customer-es-data)"),
        .flag("json", "print results and errors as JSON"),
        .value("actor", "NAME", "who is acting, recorded in every event (default: the OS user)"),
        .value("request-id", "ID", "makes the command idempotent: a retry with the same id and input does nothing"),
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
    var storeLocation: StoreLocation {
        let path = global.store ?? ProcessInfo.processInfo.environment["CUSTOMER_ES_STORE"] ?? "./customer-es-data"
        return StoreLocation(directory: URL(fileURLWithPath: path))
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

    /// Opens the store as the command needs it: a read on a missing store is an error, never a silent creation.
    func openService(readOnly: Bool? = nil) throws -> CustomerService {
        try storeLocation.open(for: (readOnly ?? command.readsOnly) ? .read : .write)
    }
}
