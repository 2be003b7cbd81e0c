import Foundation

/// The customer's fields as every reader shows them — `show` (text and JSON), `list --json`, the event's readable
/// form and `history`'s field-by-field diff — described once, so that a new profile field is a new
/// `CustomerField` case (option name, label, JSON name, value) and a property of `CustomerProfile`, and every
/// view follows.
extension CustomerField {
    /// The fields a `CustomerProfile` holds, in the order every view lists them.
    public static let profileFields: [CustomerField] = allCases.filter { $0 != .registered }

    /// Whether erasure blanks the field (everything but the salutation and the locale).
    public var isPersonal: Bool {
        switch self {
        case .salutation, .locale, .registered: return false
        case .email, .firstName, .lastName, .gender, .dateOfBirth, .phone, .company: return true
        }
    }

    /// The key in JSON, in an event's readable form and in `history`'s changes.
    public var jsonName: String {
        switch self {
        case .email: return "email"
        case .salutation: return "salutation"
        case .firstName: return "firstName"
        case .lastName: return "lastName"
        case .gender: return "gender"
        case .dateOfBirth: return "dateOfBirth"
        case .phone: return "phone"
        case .company: return "company"
        case .locale: return "locale"
        case .registered: return "registered"
        }
    }

    /// The field's value in `profile` (`.null` when absent; `registered` is not part of a profile).
    public func value(in profile: CustomerProfile) -> FieldValue {
        switch self {
        case .email: return .string(profile.email)
        case .salutation: return .string(profile.salutation.rawValue)
        case .firstName: return .string(profile.firstName)
        case .lastName: return .string(profile.lastName)
        case .gender: return .text(profile.gender?.rawValue)
        case .dateOfBirth: return .text(profile.dateOfBirth?.description)
        case .phone: return .text(profile.phone)
        case .company: return .text(profile.company)
        case .locale: return .string(profile.locale)
        case .registered: return .null
        }
    }
}

/// One shown value of a customer: its key (JSON, history), its label (the text view) and its value.
public struct CustomerFieldValue: Sendable, Equatable {
    public let name: String
    public let label: String
    public let value: FieldValue

    public init(name: String, label: String, value: FieldValue) {
        self.name = name
        self.label = label
        self.value = value
    }

    /// The value for a text view: "—" when absent, times in ISO 8601 UTC.
    public var text: String { value == .null ? "—" : value.plainText }

    /// The value as `history` compares it: nil when absent.
    public var optionalText: String? { value == .null ? nil : value.plainText }
}

/// The whole customer as shown: reference, the profile fields, status, created and verified times, the pending email.
public enum CustomerShape {
    /// `pendingEmail` is the address of an email change waiting for confirmation (null when none).
    public static func values(
        reference: CustomerReference?, profile: CustomerProfile?, status: CustomerStatus?, createdAt: Date?,
        verifiedAt: Date?, pendingEmail: String?, erased: Bool = false
    ) -> [CustomerFieldValue] {
        var values = [CustomerFieldValue(name: "reference", label: "Reference", value: .text(reference?.description))]
        if erased {
            // Only for an erased customer, so that every other view keeps its fields.
            values.append(CustomerFieldValue(
                name: "erased", label: "Erased", value: .string("erased customer \(reference?.description ?? "")")))
        }
        for field in CustomerField.profileFields {
            let value = erased && field.isPersonal ? .null : profile.map(field.value(in:)) ?? .null
            values.append(CustomerFieldValue(name: field.jsonName, label: field.label, value: value))
        }
        values.append(CustomerFieldValue(name: "status", label: "Status", value: .text(status?.rawValue)))
        values.append(CustomerFieldValue(name: "createdAt", label: "Created", value: createdAt.map(FieldValue.timestamp) ?? .null))
        values.append(CustomerFieldValue(name: "verifiedAt", label: "Verified", value: verifiedAt.map(FieldValue.timestamp) ?? .null))
        values.append(CustomerFieldValue(name: "pendingEmail", label: "Pending email", value: erased ? .null : .text(pendingEmail)))
        return values
    }
}

extension CustomerState {
    /// The customer as shown (`status` is absent before the customer exists).
    /// `pendingEmail` is the address waiting for confirmation (`requestedEmail`; `show` leaves out one whose link
    /// has expired, see `withoutExpiredEmailChange(at:)`).
    public var shownValues: [CustomerFieldValue] {
        CustomerShape.values(
            reference: reference, profile: profile, status: exists ? status : nil, createdAt: createdAt,
            verifiedAt: verifiedAt, pendingEmail: requestedEmail, erased: personalDataErased)
    }

    /// This state as it reads at `now`: an email change whose link has expired is no longer pending.
    public func withoutExpiredEmailChange(at now: Date) -> CustomerState {
        guard let change = emailChange, !change.token.used, change.token.isExpired(at: now) else { return self }
        var state = self
        state.emailChange = nil
        return state
    }
}
