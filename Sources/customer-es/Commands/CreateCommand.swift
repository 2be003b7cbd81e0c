import CustomerAggregate
import CustomerService

/// `create`: the back office's "Add a customer" form.
enum CreateCommand {
    static let spec = CommandSpec(
        name: "create",
        summary: "Create a customer (status Unverified) and queue the verification email",
        options: [
            .required("email", "EMAIL", "required; unique, any case"),
            .required("salutation", "S", "required; one of Mr, Mrs, Ms, Dr, n/a"),
            .required("first-name", "NAME", "required; 1–100 characters, none of : / < >"),
            .required("last-name", "NAME", "required; 1–100 characters, none of : / < >"),
            .value("gender", "G", "Male or Female"),
            .value("date-of-birth", "YYYY-MM-DD", "a real date, 1900-01-01 to today"),
            .value("phone", "PHONE", "digits, spaces and + - ( ) . /; at least 3 digits"),
            .value("company", "NAME", "at most 100 characters"),
            .value("locale", "ll_CC", "one of the store's locales (default: the store's default locale)"),
            .flag("send-password-token", "also queue the password-set email"),
        ],
        readsOnly: false,
        run: run)

    static func run(_ invocation: Invocation) throws {
        // Missing required options are reported together with every other problem by the domain's validation.
        let form = CustomerForm(
            email: invocation.value("email") ?? "",
            salutation: invocation.value("salutation") ?? "",
            firstName: invocation.value("first-name") ?? "",
            lastName: invocation.value("last-name") ?? "",
            gender: invocation.value("gender"),
            dateOfBirth: invocation.value("date-of-birth"),
            phone: invocation.value("phone"),
            company: invocation.value("company"),
            locale: invocation.value("locale"))
        let service = try invocation.storeLocation().openToCreate(form)
        let outcome = try service.create(form, sendPasswordToken: invocation.flag("send-password-token"), metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }
}

/// Prints a command's outcome: the back-office message and reference, or the customer as JSON.
enum OutcomePrinter {
    /// `addedIdKey`: the JSON key of the id of what the command added (`addressId`, `noteId`), when it added one.
    static func print(_ outcome: CommandOutcome, service: CustomerService, invocation: Invocation, addedIdKey: String = "id") throws {
        if invocation.global.json {
            var pairs: [(String, JSONValue)] = [("message", .string(outcome.message)), ("reference", .string(outcome.reference))]
            if let reference = outcome.reference {
                let (_, state, _) = try service.customer(reference)
                pairs.append(("customer", CustomerJSON.object(state)))
            }
            if let addedId = outcome.addedId { pairs.append((addedIdKey, .string(addedId))) }
            pairs.append(("replayed", .bool(outcome.isReplay)))
            pairs.append(("queuedEmails", .integer(Int64(outcome.queuedEmails))))
            Terminal.out(JSONValue.object(pairs).text)
        } else {
            Terminal.out(outcome.message)
            if let reference = outcome.reference { Terminal.out("Reference: \(reference)") }
            // Emails are queued, not sent: say who sends them.
            switch outcome.queuedEmails {
            case 0: break
            case 1: Terminal.out("The email waits in the outbox for `customer-es outbox dispatch` (or `serve`).")
            case let count: Terminal.out("\(count) emails wait in the outbox for `customer-es outbox dispatch` (or `serve`).")
            }
        }
    }
}
