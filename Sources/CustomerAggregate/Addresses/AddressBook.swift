/// The values of one postal address, keyed by field (absent fields have no entry).
public struct PostalAddress: Sendable, Equatable {
    private var values: [AddressField: String]

    public init(_ values: [AddressField: String] = [:]) {
        self.values = values
    }

    public subscript(field: AddressField) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// The present fields in form order.
    public var presentFields: [(field: AddressField, value: String)] {
        AddressField.allCases.compactMap { field in values[field].map { (field, $0) } }
    }
}

/// One of the customer's addresses.
public struct CustomerAddress: Sendable, Equatable {
    public let id: AddressID
    public var address: PostalAddress

    public init(id: AddressID, address: PostalAddress) {
        self.id = id
        self.address = address
    }
}

/// The customer's addresses as their events have left them: the live ones in order of creation, how many were
/// ever added (the next id), and which are the default billing and shipping addresses (at most one each).
public struct AddressBook: Sendable, Equatable {
    public private(set) var addresses: [CustomerAddress] = []
    public private(set) var numberOfAddressesEverAdded: UInt32 = 0
    public private(set) var defaultBilling: AddressID?
    public private(set) var defaultShipping: AddressID?

    public init() {}

    public var nextID: AddressID { AddressID(number: numberOfAddressesEverAdded + 1) }

    public func address(_ id: AddressID) -> CustomerAddress? {
        addresses.first { $0.id == id }
    }

    mutating func blankValues() {
        for index in addresses.indices { addresses[index].address = addresses[index].address.withoutPersonalData }
    }

    mutating func apply(_ event: AddressEvent) {
        switch event {
        case .added(let added):
            guard address(added.addressId) == nil else { return }
            addresses.append(CustomerAddress(id: added.addressId, address: added.address))
            numberOfAddressesEverAdded = max(numberOfAddressesEverAdded, added.addressId.number)
            if added.defaultBilling { defaultBilling = added.addressId }
            if added.defaultShipping { defaultShipping = added.addressId }
        case .edited(let edited):
            guard let index = addresses.firstIndex(where: { $0.id == edited.addressId }) else { return }
            for change in edited.changes { addresses[index].address[change.field] = change.value }
            // Becoming the default moves it here; stopping clears it (only if it is still this address's).
            switch edited.defaultBilling {
            case true?: defaultBilling = edited.addressId
            case false? where defaultBilling == edited.addressId: defaultBilling = nil
            default: break
            }
            switch edited.defaultShipping {
            case true?: defaultShipping = edited.addressId
            case false? where defaultShipping == edited.addressId: defaultShipping = nil
            default: break
            }
        case .removed(let removed):
            addresses.removeAll { $0.id == removed.addressId }
            if defaultBilling == removed.addressId { defaultBilling = nil }
            if defaultShipping == removed.addressId { defaultShipping = nil }
        }
    }
}
