import CustomerAggregate
import CustomerService

/// `settings [KEY VALUE]`: show the store settings, or change one (recorded as an event, so audited).
enum SettingsCommand {
    static let spec: CommandSpec = {
        var spec = CommandSpec(
            name: "settings",
            summary: "Show the store settings, or change one: settings KEY VALUE",
            positionals: ["KEY", "VALUE"], minimumPositionals: 0, readsOnly: false,
            run: run)
        spec.details = ["Keys (default value; accepted values):"] + SettingKey.allCases.map { key in
            "  " + key.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0) + "\(key.defaultValue); \(key.expectedForm)"
        }
        return spec
    }()

    static func run(_ invocation: Invocation) throws {
        switch invocation.positionals.count {
        case 0:
            let service = try invocation.openService(readOnly: true)
            let settings = try service.settings()
            if invocation.global.json {
                Terminal.out(JSONValue.object(SettingKey.allCases.map { ($0.rawValue, .string(settings.value(for: $0))) }).text)
            } else {
                // Two spaces after the longest key, so that no key runs into its value.
                let width = (SettingKey.allCases.map(\.rawValue.count).max() ?? 0) + 2
                for key in SettingKey.allCases {
                    Terminal.out(key.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + settings.value(for: key))
                }
            }
        case 2:
            let service = try invocation.openService()
            let outcome = try service.changeSetting(invocation.positionals[0], to: invocation.positionals[1], metadata: invocation.metadata)
            if SettingKey(matching: invocation.positionals[0]) == .sender, let warning = try service.settings().senderWarning {
                Terminal.err("warning: \(warning)")
            }
            if invocation.global.json {
                Terminal.out(JSONValue.object([("message", .string(outcome.message)), ("replayed", .bool(outcome.isReplay))]).text)
            } else {
                Terminal.out(outcome.message)
            }
        default:
            throw CLIError.usage("settings takes no argument (show) or KEY VALUE (change)", command: invocation.command)
        }
    }
}
