import CustomerAggregate
import CustomerService
import Foundation

/// Runs one command line and maps every outcome to an exit code (0 success, 1 rejected with nothing
/// written, 2 usage error, 3 store or I/O error) and the error format (one line per problem, or the `--json` error object).
struct CommandLineTool {
    static let version = "customer-es 0.1.0 (store format \(CustomerService.storeFormatVersion))"
    let commands: [CommandSpec]

    /// Runs the decoded command line; an argument that is not UTF-8 is a usage error before anything else.
    func run(_ decoded: Result<[String], RawArguments.NotUTF8>) -> Int32 {
        switch decoded {
        case .success(let arguments):
            return run(arguments)
        case .failure(let failure):
            let message = "argument \(failure.position) is not valid UTF-8 text; pass names and paths as UTF-8"
            return report(CLIError.usage(message, command: nil), json: failure.wantsJSON)
        }
    }

    func run(_ arguments: [String]) -> Int32 {
        let wantsJSON = arguments.contains("--json")
        do {
            switch try ArgumentParser(commands: commands).parse(arguments) {
            case .help(let text):
                Terminal.out(text)
                return ExitCode.success
            case .version:
                Terminal.out(Self.version)
                return ExitCode.success
            case .run(let invocation):
                try invocation.command.run(invocation)
                return ExitCode.success
            }
        } catch {
            return report(error, json: wantsJSON)
        }
    }

    private func report(_ error: Error, json: Bool) -> Int32 {
        let (exit, code, message, problems) = classify(error)
        if json {
            let body: JSONValue = .object([("error", .object([
                ("code", .string(code)), ("message", .string(message)),
                ("problems", .array(problems.map { .object([("field", .string($0.0)), ("message", .string($0.1))]) })),
            ]))])
            Terminal.err(body.text)
        } else {
            for line in Self.errorLines(message: message, problems: problems) { Terminal.err(line) }
            if case CLIError.usage(_, let command) = error {
                Terminal.err(command.map { "Usage: \($0.usage)\nRun customer-es \($0.name) --help for details." } ?? "Usage: customer-es [--store DIR] [--json] [--actor NAME] [--request-id ID] COMMAND …\nRun customer-es --help for the list of commands.")
            }
        }
        return exit
    }

    /// One line per problem, each printed once: a message that only sums up the problems is left out, and a
    /// single problem is printed with the message (which says more) under its field's name.
    static func errorLines(message: String, problems: [(String, String)]) -> [String] {
        if problems.isEmpty { return ["error: \(message)"] }
        if message.hasSuffix(problems.map(\.1).joined(separator: "; ")) {
            return problems.map { "error: \($0.0): \($0.1)" }
        }
        if problems.count == 1 { return ["error: \(problems[0].0): \(message)"] }
        return ["error: \(message)"] + problems.map { "error: \($0.0): \($0.1)" }
    }

    private func classify(_ error: Error) -> (Int32, String, String, [(String, String)]) {
        switch error {
        case CLIError.usage(let message, _):
            return (ExitCode.usage, "usage", message, [])
        case CLIError.store(let message):
            return (ExitCode.storeOrIO, "store", message, [])
        case CLIError.rejected(let code, let message, let problems):
            return (ExitCode.rejected, code, message, problems.map { ($0.field, $0.message) })
        default:
            let failure = ServiceFailure(error)
            var message = failure.message
            if error is StoreNotFound { message += ", or pass --store DIR (or set CUSTOMER_ES_STORE)" }
            let hint = failure.remedy.map(CommandHint.text) ?? ""
            let problems = failure.problems.map { problem in
                // A problem that repeats the message carries the same hint.
                (problem.field, problem.message == failure.message ? problem.message + hint : problem.message)
            }
            let exit = failure.kind == .rejected ? ExitCode.rejected : ExitCode.storeOrIO
            return (exit, failure.code, message + hint, problems)
        }
    }
}

/// The command line's way of saying a remedy: the command to run.
enum CommandHint {
    static func text(_ remedy: Remedy) -> String {
        switch remedy {
        case .requestNewVerification(let reference):
            return " with `customer-es resend-verification \(reference ?? "CUSTOMER")`"
        case .changeSetting(let key, let example):
            return " (e.g. `customer-es settings \(key) \(example)`)"
        case .rebuildProjections:
            return "; run customer-es rebuild to repair them"
        case .migrateStore:
            return "; run `customer-es migrate` once first"
        }
    }
}

/// stdout and stderr, unbuffered per line (so that `events --follow` and progress lines show at once).
enum Terminal {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }
}
