import CustomerService

/// The token commands of CONTRACT §3: send-password-token, verify-email, resend-verification.
enum CustomerTokenCommands {
    static let sendPasswordToken = CommandSpec(
        name: "send-password-token",
        summary: "Issue a password token and queue the password-set email (invalidates the previous token)",
        positionals: ["CUSTOMER"], readsOnly: false
    ) { invocation in
        let service = try invocation.openService()
        let outcome = try service.sendPasswordToken(to: invocation.positionals[0], metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }

    static let verifyEmail = CommandSpec(
        name: "verify-email",
        summary: "Verify a customer's email with the token from the verification link",
        options: [.value("token", "TOKEN", "required; the token of the verification link")],
        readsOnly: false
    ) { invocation in
        guard let token = invocation.value("token"), !token.isEmpty else {
            throw CLIError.usage("--token is required", command: invocation.command)
        }
        let service = try invocation.openService()
        let outcome = try service.verifyEmail(token: token, metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }

    static let resendVerification = CommandSpec(
        name: "resend-verification",
        summary: "Issue a new verification token and email for an Unverified customer (the old one stops working)",
        positionals: ["CUSTOMER"], readsOnly: false
    ) { invocation in
        let service = try invocation.openService()
        let outcome = try service.resendVerification(to: invocation.positionals[0], metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }
}
