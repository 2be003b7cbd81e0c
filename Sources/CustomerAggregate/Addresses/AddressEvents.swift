/// What can happen to a customer's addresses. One case of `CustomerEvent` (`.address`), three stored types.
public enum AddressEvent: Sendable, Equatable {
    case added(AddressAdded)
    case edited(AddressEdited)
    case removed(AddressRemoved)

    public var addressId: AddressID {
        switch self {
        case .added(let event): return event.addressId
        case .edited(let event): return event.addressId
        case .removed(let event): return event.addressId
        }
    }
}

/// A new address with every present field; it may become the default billing and/or shipping address (moving
/// that default away from another address).
public struct AddressAdded: Sendable, Equatable {
    public var addressId: AddressID
    public var address: PostalAddress
    public var defaultBilling: Bool
    public var defaultShipping: Bool

    public init(addressId: AddressID, address: PostalAddress, defaultBilling: Bool = false, defaultShipping: Bool = false) {
        self.addressId = addressId
        self.address = address
        self.defaultBilling = defaultBilling
        self.defaultShipping = defaultShipping
    }
}

/// Exactly the changed fields of one address (nil: an optional field cleared), and the defaults it takes or
/// gives up (nil: unchanged).
public struct AddressEdited: Sendable, Equatable {
    public var addressId: AddressID
    public var changes: [AddressFieldChange]
    public var defaultBilling: Bool?
    public var defaultShipping: Bool?

    public init(addressId: AddressID, changes: [AddressFieldChange], defaultBilling: Bool? = nil, defaultShipping: Bool? = nil) {
        self.addressId = addressId
        self.changes = changes
        self.defaultBilling = defaultBilling
        self.defaultShipping = defaultShipping
    }
}

public struct AddressFieldChange: Sendable, Equatable {
    public var field: AddressField
    public var value: String?

    public init(_ field: AddressField, _ value: String?) {
        self.field = field
        self.value = value
    }
}

/// The address is gone; a default that pointed at it is cleared. Its id is never given again.
public struct AddressRemoved: Sendable, Equatable {
    public var addressId: AddressID

    public init(addressId: AddressID) {
        self.addressId = addressId
    }
}
