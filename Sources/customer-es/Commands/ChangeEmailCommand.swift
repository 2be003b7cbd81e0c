import CustomerService

/// `change-email CUSTOMER --email NEW`: reserves NEW and mails its link (and a notice to the current address);
/// the email changes once NEW is confirmed, or at once with `--without-verification --reason TEXT`.
enum ChangeEmailCommand {
    static let spec = CommandSpec(
        name: "change-email",
        summary: "Change a customer's email: confirmed by a link sent to the new address, or at once with a reason",
        positionals: ["CUSTOMER"],
        options: [
            .required("email", "EMAIL", "required; the new address (the create form's rules; free among current and pending addresses)"),
            .flag("without-verification", "switch at once, without a link to the new address (an operator's fix; needs --reason)"),
            .value("reason", "TEXT", "why the change skips verification (1–500 characters, recorded in the event)"),
        ],
        readsOnly: false
    ) { invocation in
        guard let email = invocation.value("email") else {
            throw CLIError.usage("--email is required", command: invocation.command)
        }
        let service = try invocation.openService()
        let outcome = try service.changeEmail(
            invocation.positionals[0], to: email, withoutVerification: invocation.flag("without-verification"),
            reason: invocation.value("reason"), metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }
}
