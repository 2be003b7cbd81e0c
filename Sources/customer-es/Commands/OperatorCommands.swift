import CustomerAggregate
import CustomerService

/// `operator add|list|disable|reset-password`: the people who sign in to the back office. Each change is an
/// event of the access stream (audited: `operator list` shows who added and disabled whom, `events` the rest);
/// passwords come from standard input or a no-echo prompt, never an argument.
enum OperatorCommands {
    static let roleOption = OptionSpec.value("role", "admin|agent|viewer", "viewers read; agents also act on customers; admins also manage operators, keys and settings (default: agent)")

    static let add = CommandSpec(
        name: "operator add",
        summary: "Add a back-office operator; the password (the customers' policy) is read from standard input or a no-echo prompt",
        positionals: ["NAME"], options: [roleOption], readsOnly: false
    ) { invocation in
        let role = try AccessName.role(invocation.value("role") ?? AccessRole.agent.rawValue)
        let password = try PasswordInput.read(prompt: "Password for operator \(invocation.positionals[0]): ")
        let service = try invocation.openService()
        let outcome = try service.addOperator(name: invocation.positionals[0], role: role, password: password, metadata: invocation.metadata)
        printMessage(outcome, invocation)
    }

    static let disable = CommandSpec(
        name: "operator disable",
        summary: "Disable an operator: they can no longer sign in, and their sessions end at once",
        positionals: ["NAME"], readsOnly: false
    ) { invocation in
        let service = try invocation.openService(readOnly: true, writes: true)
        printMessage(try service.disableOperator(name: invocation.positionals[0], metadata: invocation.metadata), invocation)
    }

    static let resetPassword = CommandSpec(
        name: "operator reset-password",
        summary: "Set a new password for an operator (read from standard input or a no-echo prompt); their sessions end",
        positionals: ["NAME"], readsOnly: false
    ) { invocation in
        let password = try PasswordInput.read(prompt: "New password for operator \(invocation.positionals[0]): ")
        let service = try invocation.openService(readOnly: true, writes: true)
        printMessage(try service.resetOperatorPassword(name: invocation.positionals[0], password: password, metadata: invocation.metadata), invocation)
    }

    static let list = CommandSpec(
        name: "operator list",
        summary: "List the operators: role, state, who added and who disabled them, last sign-in",
        readsOnly: true
    ) { invocation in
        let operators = try invocation.openService().operators()
        if invocation.global.json {
            Terminal.out(JSONValue.object([("items", .array(operators.map(json)))]).text)
            return
        }
        if operators.isEmpty { Terminal.out("No operators yet; add the first with `customer-es operator add NAME --role admin`.") }
        for summary in operators {
            var line = "\(summary.name)  \(summary.role.rawValue)  \(summary.isEnabled ? "enabled" : "disabled")"
                + "  added \(ISOTime.format(summary.addedAt)) by \(summary.addedBy.escapingControlCharacters)"
            if let at = summary.disabledAt { line += "  disabled \(ISOTime.format(at)) by \((summary.disabledBy ?? "").escapingControlCharacters)" }
            if let at = summary.passwordResetAt { line += "  password reset \(ISOTime.format(at)) by \((summary.passwordResetBy ?? "").escapingControlCharacters)" }
            if let at = summary.lockedUntil { line += "  locked until \(ISOTime.format(at))" }
            Terminal.out(line)
        }
    }

    static func json(_ summary: OperatorSummary) -> JSONValue {
        .object([
            ("name", .string(summary.name)), ("role", .string(summary.role.rawValue)), ("enabled", .bool(summary.isEnabled)),
            ("addedAt", .date(summary.addedAt)), ("addedBy", .string(summary.addedBy)),
            ("disabledAt", .date(summary.disabledAt)), ("disabledBy", .string(summary.disabledBy)),
            ("passwordResetAt", .date(summary.passwordResetAt)), ("passwordResetBy", .string(summary.passwordResetBy)),
            ("lastSignedInAt", .date(summary.lastSignedInAt)), ("lockedUntil", .date(summary.lockedUntil)),
        ])
    }

    static func printMessage(_ outcome: CommandOutcome, _ invocation: Invocation) {
        if invocation.global.json {
            Terminal.out(JSONValue.object([("message", .string(outcome.message)), ("replayed", .bool(outcome.isReplay))]).text)
        } else {
            Terminal.out(outcome.message)
        }
    }
}
