import CustomerAggregate
import CustomerService

/// `edit CUSTOMER`: the back office's "Edit customer" form; only the given options change.
enum EditCommand {
    static let spec = CommandSpec(
        name: "edit",
        summary: "Change a customer's profile fields (an empty value clears an optional one)",
        positionals: ["CUSTOMER"],
        options: [
            .value("salutation", "S", "one of Mr, Mrs, Ms, Dr, n/a"),
            .value("first-name", "NAME", "1–100 characters, none of : / < >"),
            .value("last-name", "NAME", "1–100 characters, none of : / < >"),
            .value("gender", "G", "Male or Female; empty clears it"),
            .value("date-of-birth", "YYYY-MM-DD", "a real date, 1900-01-01 to today; empty clears it"),
            .value("phone", "PHONE", "digits, spaces and + - ( ) . /; at least 3 digits; empty clears it"),
            .value("company", "NAME", "at most 100 characters; empty clears it"),
            .value("locale", "ll_CC", "one of the store's locales"),
        ],
        readsOnly: false
    ) { invocation in
        let edit = EditCustomer(
            salutation: invocation.value("salutation"), firstName: invocation.value("first-name"),
            lastName: invocation.value("last-name"), gender: invocation.value("gender"),
            dateOfBirth: invocation.value("date-of-birth"), phone: invocation.value("phone"),
            company: invocation.value("company"), locale: invocation.value("locale"))
        let service = try invocation.openService()
        let outcome = try service.edit(invocation.positionals[0], edit, metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }
}
