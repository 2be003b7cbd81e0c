/// Errors of the command line itself, each with its exit code (2 usage, 3 store or I/O).
enum CLIError: Error {
    /// Bad command line: exit 2, with the command's usage.
    case usage(String, command: CommandSpec?)
    /// The store cannot be used: exit 3.
    case store(String)
    /// A rejected request that is not a domain error (e.g. an unreadable input file): exit 1.
    case rejected(code: String, message: String, problems: [(field: String, message: String)])
}

enum ExitCode {
    static let success: Int32 = 0
    static let rejected: Int32 = 1
    static let usage: Int32 = 2
    static let storeOrIO: Int32 = 3
}
