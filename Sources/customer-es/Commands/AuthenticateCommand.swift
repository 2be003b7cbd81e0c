import CustomerService
import Foundation

/// `authenticate CUSTOMER` (a sign-in, as the storefront's `POST /api/authenticate` does) and
/// `set-password --token T` (what the password-set link's form does). The password comes from standard input or
/// a no-echo prompt, never from an argument.
enum AuthenticateCommand {
    static let spec = CommandSpec(
        name: "authenticate",
        summary: "Check a customer's password (read from standard input): exit 0 when it matches, 1 otherwise",
        positionals: ["CUSTOMER"], readsOnly: false
    ) { invocation in
        let password = try PasswordInput.read(prompt: "Password for \(invocation.positionals[0]): ")
        // Writes (the attempt is recorded), but never creates a store.
        let service = try invocation.openService(readOnly: true, writes: true)
        let outcome = try service.authenticate(customer: invocation.positionals[0], password: password, metadata: invocation.metadata)
        if invocation.global.json {
            Terminal.out(JSONValue.object([
                ("reference", .string(outcome.reference)), ("succeeded", .bool(outcome.succeeded)),
                ("signedInAt", .date(outcome.signedInAt)), ("rehashed", .bool(outcome.rehashed)),
            ]).text)
        } else {
            Terminal.out("The password of \(outcome.reference) is correct.")
            if outcome.rehashed { Terminal.out("Its stored hash was upgraded to yescrypt.") }
        }
    }

    static let setPassword = CommandSpec(
        name: "set-password",
        summary: "Set a customer's password with the token of a password-set link (password read from standard input)",
        options: [.value("token", "TOKEN", "required; the token of the password-set link")],
        readsOnly: false
    ) { invocation in
        guard let token = invocation.value("token"), !token.isEmpty else {
            throw CLIError.usage("--token is required", command: invocation.command)
        }
        let password = try PasswordInput.read(prompt: "New password: ")
        // Writes (the attempt is recorded), but never creates a store.
        let service = try invocation.openService(readOnly: true, writes: true)
        let outcome = try service.setPassword(token: token, password: password, metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }
}
