import CustomerAggregate

/// A small, strict, table-driven parser: global options anywhere; then the command (one or two words) and its
/// own options and positionals. Unknown options, missing values, repeated options and stray arguments are
/// usage errors that show the command's usage. `--name=value` and `--name value` are both accepted; `--` ends
/// options.
struct ArgumentParser {
    let commands: [CommandSpec]

    enum Parsed {
        case run(Invocation)
        case help(String)
        case version
    }

    func parse(_ arguments: [String]) throws -> Parsed {
        var global = GlobalOptions()
        var seen = Set<String>()
        var words: [String] = []  // non-option tokens, in order
        let tokens = arguments
        var index = 0
        var command: CommandSpec?
        var values: [String: String] = [:]
        var flags = Set<String>()
        var onlyPositionals = false

        func resolveCommand() {
            guard command == nil else { return }
            if words.count >= 2, let two = commands.first(where: { $0.name == "\(words[0]) \(words[1])" }) {
                command = two
                words.removeFirst(2)
            } else if let first = words.first, let one = commands.first(where: { $0.name == first }) {
                command = one
                words.removeFirst()
            }
        }

        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if onlyPositionals || !token.hasPrefix("-") || token == "-" {
                words.append(token)
                resolveCommand()
                continue
            }
            if token == "--" { onlyPositionals = true; continue }
            if token == "-h" { global.help = true; continue }
            guard token.hasPrefix("--") else {
                throw CLIError.usage("unknown option \(token)", command: command)
            }
            let body = token.dropFirst(2)
            let name = String(body.split(separator: "=", maxSplits: 1).first ?? "")
            let inlineValue = body.contains("=") ? String(body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).last ?? "") : nil

            func takeValue(_ spec: OptionSpec) throws -> String {
                if let inlineValue { return inlineValue }
                guard index < tokens.count else {
                    throw CLIError.usage("--\(spec.name) needs a value (\(spec.valueName ?? "VALUE"))", command: command)
                }
                let value = tokens[index]
                index += 1
                return value
            }

            if let spec = GlobalOptions.specs.first(where: { $0.name == name }) {
                guard seen.insert(name).inserted else {
                    throw CLIError.usage("--\(name) was given more than once", command: command)
                }
                if spec.valueName == nil, inlineValue != nil {
                    throw CLIError.usage("--\(name) is a flag and takes no value", command: command)
                }
                switch name {
                case "store": global.store = try takeValue(spec)
                case "json": global.json = true
                case "actor":
                    let actor = try takeValue(spec)
                    if let problem = ActorName.problem(actor) {
                        throw CLIError.usage("--actor \(problem)", command: command)
                    }
                    global.actor = actor
                case "request-id": global.requestID = try takeValue(spec)
                case "lock-timeout": global.lockTimeout = try takeValue(spec)
                case "help": global.help = true
                case "version": global.version = true
                default: break
                }
                continue
            }
            resolveCommand()
            guard let current = command else {
                if words.isEmpty {
                    throw CLIError.usage("unknown option \(token) (command options go after the command)", command: nil)
                }
                throw unresolved(words)
            }
            guard let spec = current.options.first(where: { $0.name == name }) else {
                throw CLIError.usage("unknown option --\(name) for \(current.name)", command: current)
            }
            guard seen.insert(name).inserted else {
                throw CLIError.usage("--\(name) was given more than once", command: current)
            }
            if spec.valueName == nil {
                if inlineValue != nil { throw CLIError.usage("--\(name) is a flag and takes no value", command: current) }
                flags.insert(name)
            } else {
                values[name] = try takeValue(spec)
            }
        }
        if global.version && command == nil { return .version }
        guard let command else {
            if global.help, let group = words.first, words.count == 1, let help = groupHelp(group) { return .help(help) }
            if global.help { return .help(Self.overview(commands)) }
            if words.isEmpty { throw CLIError.usage("no command given", command: nil) }
            throw unresolved(words)
        }
        if global.help { return .help(command.help) }
        if words.count > command.positionals.count && !command.repeatsLastPositional {
            let stray = words.dropFirst(command.positionals.count).joined(separator: " ")
            throw CLIError.usage("unexpected argument \(stray)", command: command)
        }
        if words.count < command.minimumPositionals {
            throw CLIError.usage("missing \(command.positionals[words.count])", command: command)
        }
        return .run(Invocation(command: command, global: global, values: values, flags: flags, positionals: words))
    }

    /// The commands of a group (`outbox list`, `outbox dispatch`, …) by their first word.
    private func group(_ word: String) -> [CommandSpec] {
        commands.filter { $0.name.hasPrefix(word + " ") }
    }

    private func groupHelp(_ word: String) -> String? {
        let members = group(word)
        guard !members.isEmpty else { return nil }
        var lines = ["customer-es \(word) — \(members.count) commands", "", "Usage: customer-es [--store DIR] \(word) SUBCOMMAND …", "", "Commands:"]
        for command in members {
            lines.append("  " + command.name.padding(toLength: 22, withPad: " ", startingAt: 0) + command.summary)
        }
        lines += ["", "Run customer-es \(word) SUBCOMMAND --help for a command's options."]
        return lines.joined(separator: "\n")
    }

    /// The words did not name a command: name only the word that is not one (its arguments are not part of it).
    private func unresolved(_ words: [String]) -> CLIError {
        let first = words.first ?? ""
        let members = group(first)
        if !members.isEmpty {
            let names = members.map { String($0.name.dropFirst(first.count + 1)) }
            let given = words.count > 1 ? "unknown \(first) command \"\(words[1])\"" : "\(first) needs a command"
            return CLIError.usage("\(given): one of \(names.joined(separator: ", ")); run customer-es \(first) --help", command: nil)
        }
        return CLIError.usage("unknown command \"\(first)\"; run customer-es --help for the list", command: nil)
    }

    static func overview(_ commands: [CommandSpec]) -> String {
        var lines = [
            "customer-es — event-sourced customer management on an LMDB store",
            "",
            "Usage: customer-es [--store DIR] [--json] [--actor NAME] [--request-id ID] COMMAND …",
            "",
            "Commands:",
        ]
        for command in commands {
            lines.append("  " + command.name.padding(toLength: 22, withPad: " ", startingAt: 0) + command.summary)
        }
        lines += [
            "",
            "CUSTOMER is a customer reference (DE--3) or an email (any case).",
            "Exit codes: 0 success, 1 rejected (nothing written), 2 usage error, 3 store or I/O error.",
            "Run customer-es COMMAND --help for a command's options.",
        ]
        return lines.joined(separator: "\n")
    }
}
