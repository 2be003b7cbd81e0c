/// One option of a command: `--name VALUE` when `valueName` is set, else a flag.
struct OptionSpec: Sendable {
    let name: String
    let valueName: String?
    let help: String
    /// Shown without brackets in the usage line (the command's own checks still report it when missing).
    var isRequired = false

    static func value(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help)
    }

    static func required(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, isRequired: true)
    }

    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help)
    }
}

/// A subcommand: its name (possibly two words, e.g. `outbox list`), arguments, options and what it runs.
struct CommandSpec: Sendable {
    let name: String
    let summary: String
    let positionals: [String]
    /// Trailing positionals beyond this count are optional.
    var minimumPositionals: Int
    /// The last positional may be given any number of times (`ID…`).
    var repeatsLastPositional = false
    let options: [OptionSpec]
    /// Whether the command only reads (a read on a missing store exits 3 instead of creating it).
    let readsOnly: Bool
    /// Further lines of `--help` after the options (e.g. the keys of `settings`).
    var details: [String] = []
    let run: @Sendable (Invocation) throws -> Void

    init(
        name: String, summary: String, positionals: [String] = [], minimumPositionals: Int? = nil,
        options: [OptionSpec] = [], readsOnly: Bool, run: @escaping @Sendable (Invocation) throws -> Void
    ) {
        self.name = name
        self.summary = summary
        self.positionals = positionals
        self.minimumPositionals = minimumPositionals ?? positionals.count
        self.options = options
        self.readsOnly = readsOnly
        self.run = run
    }

    var usage: String {
        var parts = ["customer-es [--store DIR]", name]
        parts += positionals.enumerated().map { item in
            let name = repeatsLastPositional && item.offset == positionals.count - 1 ? item.element + "…" : item.element
            return item.offset < minimumPositionals ? name : "[\(name)]"
        }
        parts += options.map { option in
            let text = option.valueName.map { "--\(option.name) \($0)" } ?? "--\(option.name)"
            return option.isRequired ? text : "[\(text)]"
        }
        return parts.joined(separator: " ")
    }

    var help: String {
        var lines = [summary, "", "Usage: \(usage)"]
        if !options.isEmpty {
            lines.append("")
            lines.append("Options:")
            for option in options {
                let left = "  --\(option.name)" + (option.valueName.map { " \($0)" } ?? "")
                lines.append(left.padding(toLength: max(left.count + 2, 30), withPad: " ", startingAt: 0) + option.help)
            }
        }
        if !details.isEmpty { lines += [""] + details }
        lines.append("")
        lines.append("Global options: --store DIR, --json, --actor NAME, --request-id ID, --help, --version")
        return lines.joined(separator: "\n")
    }
}
