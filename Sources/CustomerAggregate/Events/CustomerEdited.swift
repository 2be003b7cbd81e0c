/// Some of the customer's profile fields changed: exactly the changed ones, each with its new value (nil for
/// an optional field that was cleared). The email never changes through this event.
public struct CustomerEdited: Sendable, Equatable {
    public var changes: [ProfileChange]

    public init(changes: [ProfileChange]) {
        self.changes = changes
    }

    /// `profile` with the changes applied.
    public func applied(to profile: CustomerProfile) -> CustomerProfile {
        var result = profile
        for change in changes { change.apply(to: &result) }
        return result
    }
}

/// One edited profile field and its new value.
public enum ProfileChange: Sendable, Equatable {
    case salutation(Salutation)
    case firstName(String)
    case lastName(String)
    case gender(Gender?)
    case dateOfBirth(CalendarDate?)
    case phone(String?)
    case company(String?)
    case locale(String)

    public var field: CustomerField {
        switch self {
        case .salutation: return .salutation
        case .firstName: return .firstName
        case .lastName: return .lastName
        case .gender: return .gender
        case .dateOfBirth: return .dateOfBirth
        case .phone: return .phone
        case .company: return .company
        case .locale: return .locale
        }
    }

    /// The new value as every view shows it (as `CustomerField.value(in:)` does for a whole profile).
    public var value: FieldValue {
        switch self {
        case .salutation(let value): return .string(value.rawValue)
        case .firstName(let value), .lastName(let value), .locale(let value): return .string(value)
        case .gender(let value): return .text(value?.rawValue)
        case .dateOfBirth(let value): return .text(value?.description)
        case .phone(let value), .company(let value): return .text(value)
        }
    }

    func apply(to profile: inout CustomerProfile) {
        switch self {
        case .salutation(let value): profile.salutation = value
        case .firstName(let value): profile.firstName = value
        case .lastName(let value): profile.lastName = value
        case .gender(let value): profile.gender = value
        case .dateOfBirth(let value): profile.dateOfBirth = value
        case .phone(let value): profile.phone = value
        case .company(let value): profile.company = value
        case .locale(let value): profile.locale = value
        }
    }

    /// The changes that turn `old` into `new`, in form order (none when they are equal).
    static func changes(from old: CustomerProfile, to new: CustomerProfile) -> [ProfileChange] {
        var changes: [ProfileChange] = []
        if old.salutation != new.salutation { changes.append(.salutation(new.salutation)) }
        if old.firstName != new.firstName { changes.append(.firstName(new.firstName)) }
        if old.lastName != new.lastName { changes.append(.lastName(new.lastName)) }
        if old.gender != new.gender { changes.append(.gender(new.gender)) }
        if old.dateOfBirth != new.dateOfBirth { changes.append(.dateOfBirth(new.dateOfBirth)) }
        if old.phone != new.phone { changes.append(.phone(new.phone)) }
        if old.company != new.company { changes.append(.company(new.company)) }
        if old.locale != new.locale { changes.append(.locale(new.locale)) }
        return changes
    }
}
