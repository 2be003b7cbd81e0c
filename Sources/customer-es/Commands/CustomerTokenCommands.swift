import CustomerService
import Foundation

/// The token commands: send-password-token, verify-email, resend-verification.
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
        options: [.required("token", "TOKEN", "required; the verification link or its token; - reads it from standard input (kept out of ps and shell history)")],
        readsOnly: false
    ) { invocation in
        guard var token = invocation.value("token"), !token.isEmpty else {
            throw CLIError.usage("--token is required", command: invocation.command)
        }
        if token == "-" {
            // The first line (typed and ended with Enter, or piped), without waiting for the end of the input.
            guard let line = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
                throw CLIError.usage("--token - reads the link or token from standard input, which gave no line", command: invocation.command)
            }
            token = line
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
