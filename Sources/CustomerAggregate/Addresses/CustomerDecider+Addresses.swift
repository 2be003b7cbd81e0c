extension CustomerDecider {
    /// `AddressAdded` with the next id, or every broken rule of the form at once.
    static func decideAddAddress(_ command: AddAddress, state: CustomerState) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        var problems: [Problem] = []
        var address = PostalAddress()
        for field in AddressField.allCases {
            address[field] = AddressRules.value(of: field, command.values[field], problems: &problems)
        }
        guard problems.isEmpty else { throw addressFailure(problems) }
        return [.address(.added(AddressAdded(
            addressId: state.addressBook.nextID, address: address, defaultBilling: command.defaultBilling,
            defaultShipping: command.defaultShipping)))]
    }

    /// One `AddressEdited` with exactly what changes, or nothing when nothing does. Only the given fields are
    /// checked; every broken rule is reported at once.
    static func decideEditAddress(_ command: EditAddress, state: CustomerState) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        let current = try existingAddress(command.addressId, in: state)
        var problems: [Problem] = []
        var changes: [AddressFieldChange] = []
        for (field, raw) in command.values.inFormOrder {
            let value = AddressRules.value(of: field, raw, problems: &problems)
            if value != current.address[field] { changes.append(AddressFieldChange(field, value)) }
        }
        guard problems.isEmpty else { throw addressFailure(problems) }
        let book = state.addressBook
        let billing = defaultChange(command.defaultBilling, isDefault: book.defaultBilling == current.id)
        let shipping = defaultChange(command.defaultShipping, isDefault: book.defaultShipping == current.id)
        guard !changes.isEmpty || billing != nil || shipping != nil else { return [] }
        return [.address(.edited(AddressEdited(
            addressId: current.id, changes: changes, defaultBilling: billing, defaultShipping: shipping)))]
    }

    static func decideRemoveAddress(_ addressId: String, state: CustomerState) throws(DomainError) -> [CustomerEvent] {
        try requireExisting(state)
        let current = try existingAddress(addressId, in: state)
        return [.address(.removed(AddressRemoved(addressId: current.id)))]
    }

    /// The wanted default only when it differs from what the address is now.
    private static func defaultChange(_ wanted: Bool?, isDefault: Bool) -> Bool? {
        guard let wanted, wanted != isDefault else { return nil }
        return wanted
    }

    private static func existingAddress(_ text: String, in state: CustomerState) throws(DomainError) -> CustomerAddress {
        if let id = AddressID(parsing: text), let address = state.addressBook.address(id) { return address }
        let live = state.addressBook.addresses.map(\.id.description)
        let known = live.isEmpty ? "the customer has no address" : "the customer's addresses are \(live.joined(separator: ", "))"
        throw DomainError(
            .addressNotFound, "\(state.displayName) has no address \(text.escapingControlCharacters) (\(known))",
            problems: [Problem(
                field: "address-id", message: "no address \(text.escapingControlCharacters); \(known)", rule: .unknownItem,
                arguments: ["id": text.escapingControlCharacters, "known": live.joined(separator: ", ")])])
    }

    private static func addressFailure(_ problems: [Problem]) -> DomainError {
        DomainError(
            .validationFailed, "Invalid address: " + problems.map(\.message).joined(separator: "; "), problems: problems)
    }
}

extension DomainError.Code {
    /// `address edit/remove` with an id the customer has no (live) address under.
    public static let addressNotFound = DomainError.Code("addressNotFound")
    /// `note withdraw` with an id the customer has no note under.
    public static let noteNotFound = DomainError.Code("noteNotFound")
    public static let noteAlreadyWithdrawn = DomainError.Code("noteAlreadyWithdrawn")
}
