import CustomerAggregate
import CustomerService

/// `address add|edit|remove|list`: the back office's "Add customer addresses". The options come from the
/// address form's one field list (`AddressField`): name, value placeholder, rule and whether it is required.
enum AddressCommands {
    static let add = CommandSpec(
        name: "address add",
        summary: "Add an address to a customer (ids A1, A2, … in order of creation, never reused)",
        positionals: ["CUSTOMER"],
        options: AddressField.allCases.map { field in
            field.isRequired ? .required(field.rawValue, field.valueName, field.help) : .value(field.rawValue, field.valueName, field.help)
        } + [
            .flag("default-billing", "make it the default billing address (moved from another address)"),
            .flag("default-shipping", "make it the default shipping address (moved from another address)"),
        ],
        readsOnly: false
    ) { invocation in
        let command = AddAddress(
            values: values(of: invocation), defaultBilling: invocation.flag("default-billing"),
            defaultShipping: invocation.flag("default-shipping"))
        let service = try invocation.openService()
        let outcome = try service.addAddress(invocation.positionals[0], command, metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation, addedIdKey: "addressId")
    }

    static let edit = CommandSpec(
        name: "address edit",
        summary: "Change some fields of one address (an empty value clears an optional one)",
        positionals: ["CUSTOMER", "ADDRESS-ID"],
        options: AddressField.allCases.map { .value($0.rawValue, $0.valueName, $0.help) } + [
            .flag("default-billing", "make it the default billing address"),
            .flag("no-default-billing", "it is no longer the default billing address"),
            .flag("default-shipping", "make it the default shipping address"),
            .flag("no-default-shipping", "it is no longer the default shipping address"),
        ],
        readsOnly: false
    ) { invocation in
        let command = EditAddress(
            addressId: invocation.positionals[1], values: values(of: invocation),
            defaultBilling: try defaultChange("default-billing", invocation), defaultShipping: try defaultChange("default-shipping", invocation))
        let service = try invocation.openService()
        let outcome = try service.editAddress(invocation.positionals[0], command, metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }

    static let remove = CommandSpec(
        name: "address remove",
        summary: "Remove one address (a default it was is cleared)",
        positionals: ["CUSTOMER", "ADDRESS-ID"],
        readsOnly: false
    ) { invocation in
        let service = try invocation.openService()
        let outcome = try service.removeAddress(invocation.positionals[0], addressId: invocation.positionals[1], metadata: invocation.metadata)
        try OutcomePrinter.print(outcome, service: service, invocation: invocation)
    }

    static let list = CommandSpec(
        name: "address list",
        summary: "List a customer's addresses, oldest first, with their defaults",
        positionals: ["CUSTOMER"],
        readsOnly: true
    ) { invocation in
        let service = try invocation.openService()
        let addresses = try service.addresses(of: invocation.positionals[0])
        if invocation.global.json {
            Terminal.out(JSONValue.array(addresses.map(CustomerJSON.object)).text)
            return
        }
        if addresses.isEmpty { Terminal.out("No addresses.") }
        for line in textLines(addresses) { Terminal.out(line) }
    }

    /// One heading per address ("A2  default billing"), then its present fields, escaped.
    static func textLines(_ addresses: [[CustomerFieldValue]]) -> [String] {
        addresses.flatMap { values -> [String] in
            let defaults = values.filter { $0.value == .bool(true) }.map { $0.label.lowercased() }
            let heading = values[0].text + (defaults.isEmpty ? "" : "  " + defaults.joined(separator: ", "))
            let fields = values.dropFirst().filter { $0.value != .null && !isFlag($0.value) }.map { value in
                "    " + value.label.padding(toLength: 16, withPad: " ", startingAt: 0) + value.text.escapingControlCharacters
            }
            return [heading] + fields
        }
    }

    private static func isFlag(_ value: FieldValue) -> Bool {
        if case .bool = value { return true }
        return false
    }

    private static func values(of invocation: Invocation) -> [AddressField: String] {
        var values: [AddressField: String] = [:]
        for field in AddressField.allCases {
            if let value = invocation.value(field.rawValue) { values[field] = value }
        }
        return values
    }

    private static func defaultChange(_ name: String, _ invocation: Invocation) throws -> Bool? {
        switch (invocation.flag(name), invocation.flag("no-" + name)) {
        case (true, true): throw CLIError.usage("--\(name) and --no-\(name) contradict each other; give one", command: invocation.command)
        case (true, false): return true
        case (false, true): return false
        case (false, false): return nil
        }
    }
}
