import CustomerAggregate
import CustomerService
import EventStore
import Foundation

/// Runs one command line and maps every outcome to CONTRACT §4's exit codes and error format.
struct CommandLineTool {
    static let version = "customer-es 0.1.0 (store format \(EventStore.formatVersion))"
    let commands: [CommandSpec]

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
            Terminal.err("error: \(message)")
            for (field, text) in problems { Terminal.err("error: \(field): \(text)") }
            if case CLIError.usage(_, let command) = error {
                Terminal.err(command.map { "Usage: \($0.usage)\nRun customer-es \($0.name) --help for details." } ?? "Run customer-es --help for the list of commands.")
            }
        }
        return exit
    }

    private func classify(_ error: Error) -> (Int32, String, String, [(String, String)]) {
        switch error {
        case is ImportHadRejections:
            return (ExitCode.rejected, "rowsRejected", "some rows were rejected (see above); the valid rows were imported", [])
        case CLIError.usage(let message, _):
            return (ExitCode.usage, "usage", message, [])
        case CLIError.store(let message):
            return (ExitCode.storeOrIO, "store", message, [])
        case CLIError.rejected(let code, let message, let problems):
            return (ExitCode.rejected, code, message, problems.map { ($0.field, $0.message) })
        case let error as DomainError:
            return (ExitCode.rejected, error.code.rawValue, error.message, error.problems.map { ($0.field, $0.message) })
        case let error as EventStoreError:
            if case .wrongExpectedVersion = error {
                return (ExitCode.rejected, "concurrentChange", "\(error)", [])
            }
            return (ExitCode.storeOrIO, "store", "\(error)", [])
        default:
            return (ExitCode.storeOrIO, "io", "\(error)", [])
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
