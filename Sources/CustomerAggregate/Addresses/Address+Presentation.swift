/// Addresses as every reader shows them — `show`, `address list`, events' readable form, `history`'s diff —
/// from the one field list (`AddressField`).
extension AddressBook {
    /// One address as shown: its id, every field of the form (`null` when absent), then its defaults.
    public func shownValues(of address: CustomerAddress) -> [CustomerFieldValue] {
        [CustomerFieldValue(name: "id", label: "Address", value: .string(address.id.description))]
            + AddressField.allCases.map { field in
                CustomerFieldValue(name: field.jsonName, label: field.label, value: .text(address.address[field]))
            } + [
                CustomerFieldValue(name: "defaultBilling", label: "Default billing", value: .bool(defaultBilling == address.id)),
                CustomerFieldValue(name: "defaultShipping", label: "Default shipping", value: .bool(defaultShipping == address.id)),
            ]
    }

    /// Every live address, in order of creation.
    public var shownAddresses: [[CustomerFieldValue]] { addresses.map(shownValues(of:)) }
}

extension PostalAddress {
    /// "Hauptstraße 1, 10115 Berlin, DE": the postal lines on one line, for summaries.
    public var oneLine: String {
        let lines = [self[.company], self[.address1], self[.address2], self[.address3]].compactMap { $0 }
        let place = [self[.zipCode], self[.city]].compactMap { $0 }.joined(separator: " ")
        return (lines + [place, self[.country]].compactMap { $0 }.filter { !$0.isEmpty }).joined(separator: ", ")
    }
}

extension AddressEvent {
    var fields: [EventField] {
        let id = EventField("addressId", .string(addressId.description))
        switch self {
        case .added(let event):
            return [id] + AddressField.allCases.map { EventField($0.jsonName, .text(event.address[$0])) } + [
                EventField("defaultBilling", .bool(event.defaultBilling)),
                EventField("defaultShipping", .bool(event.defaultShipping)),
            ]
        case .edited(let event):
            // Exactly what changed: the changed fields (null: cleared), then a default taken (true) or given up.
            return [id] + event.changes.map { EventField($0.field.jsonName, .text($0.value)) }
                + [event.defaultBilling.map { EventField("defaultBilling", .bool($0)) },
                   event.defaultShipping.map { EventField("defaultShipping", .bool($0)) }].compactMap { $0 }
        case .removed:
            return [id]
        }
    }

    var summary: String {
        switch self {
        case .added(let event):
            let defaults = [event.defaultBilling ? "default billing" : nil, event.defaultShipping ? "default shipping" : nil].compactMap { $0 }
            let name = [event.address[.firstName], event.address[.lastName]].compactMap { $0 }.joined(separator: " ")
            return "Address \(event.addressId) added: \(name), \(event.address.oneLine)"
                + (defaults.isEmpty ? "" : " (\(defaults.joined(separator: ", ")))")
        case .edited(let event):
            var parts = event.changes.map { $0.field.label.lowercased() }
            if let billing = event.defaultBilling { parts.append(billing ? "now default billing" : "no longer default billing") }
            if let shipping = event.defaultShipping { parts.append(shipping ? "now default shipping" : "no longer default shipping") }
            return "Address \(event.addressId) edited: " + parts.joined(separator: ", ")
        case .removed(let event):
            return "Address \(event.addressId) removed"
        }
    }
}
