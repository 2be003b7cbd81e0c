/// The back office's "Add customer address" form: raw values by field (untrimmed, unchecked; a missing field
/// is absent) and whether the new address becomes a default.
public struct AddAddress: Sendable, Equatable {
    public var values: [AddressField: String]
    public var defaultBilling: Bool
    public var defaultShipping: Bool

    public init(values: [AddressField: String], defaultBilling: Bool = false, defaultShipping: Bool = false) {
        self.values = values
        self.defaultBilling = defaultBilling
        self.defaultShipping = defaultShipping
    }
}

/// New values for some fields of one address (an empty value clears an optional field); `true` makes it a
/// default, `false` gives the default up, nil leaves it.
public struct EditAddress: Sendable, Equatable {
    /// As typed (`A2`); the decider says when there is no such address.
    public var addressId: String
    public var values: [AddressField: String]
    public var defaultBilling: Bool?
    public var defaultShipping: Bool?

    public init(addressId: String, values: [AddressField: String], defaultBilling: Bool? = nil, defaultShipping: Bool? = nil) {
        self.addressId = addressId
        self.values = values
        self.defaultBilling = defaultBilling
        self.defaultShipping = defaultShipping
    }
}

extension Dictionary where Key == AddressField, Value == String {
    /// The given values in form order, as a request fingerprint reads them.
    public var inFormOrder: [(field: AddressField, value: String)] {
        AddressField.allCases.compactMap { field in self[field].map { (field, $0) } }
    }
}
