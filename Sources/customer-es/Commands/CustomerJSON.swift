import CustomerAggregate
import CustomerService
import Foundation

/// The customer shape of CONTRACT §4 ("Customer" JSON) and its text rendering.
enum CustomerJSON {
    static func object(_ state: CustomerState) -> JSONValue {
        let profile = state.profile
        return .object([
            ("reference", .string(state.reference?.description)),
            ("email", .string(profile?.email)),
            ("salutation", .string(profile?.salutation.rawValue)),
            ("firstName", .string(profile?.firstName)),
            ("lastName", .string(profile?.lastName)),
            ("gender", .string(profile?.gender?.rawValue)),
            ("dateOfBirth", .string(profile?.dateOfBirth?.description)),
            ("phone", .string(profile?.phone)),
            ("company", .string(profile?.company)),
            ("locale", .string(profile?.locale)),
            ("status", .string(state.status.rawValue)),
            ("createdAt", .date(state.createdAt)),
            ("verifiedAt", .date(state.verifiedAt)),
        ])
    }

    static func object(_ row: CustomerRow) -> JSONValue {
        .object([
            ("reference", .string(row.reference.description)),
            ("email", .string(row.email)),
            ("salutation", .string(row.salutation.rawValue)),
            ("firstName", .string(row.firstName)),
            ("lastName", .string(row.lastName)),
            ("gender", .string(row.gender?.rawValue)),
            ("dateOfBirth", .string(row.dateOfBirth?.description)),
            ("phone", .string(row.phone)),
            ("company", .string(row.company)),
            ("locale", .string(row.locale)),
            ("status", .string(row.status.rawValue)),
            ("createdAt", .date(row.createdAt)),
            ("verifiedAt", .date(row.verifiedAt)),
        ])
    }

    static func lines(_ state: CustomerState) -> [(String, String)] {
        let profile = state.profile
        return [
            ("Reference", state.reference?.description ?? "—"),
            ("Email", profile?.email ?? "—"),
            ("Salutation", profile?.salutation.rawValue ?? "—"),
            ("First name", profile?.firstName ?? "—"),
            ("Last name", profile?.lastName ?? "—"),
            ("Gender", profile?.gender?.rawValue ?? "—"),
            ("Date of birth", profile?.dateOfBirth?.description ?? "—"),
            ("Phone", profile?.phone ?? "—"),
            ("Company", profile?.company ?? "—"),
            ("Locale", profile?.locale ?? "—"),
            ("Status", state.status.rawValue),
            ("Created", state.createdAt.map(ISOTime.format) ?? "—"),
            ("Verified", state.verifiedAt.map(ISOTime.format) ?? "—"),
        ]
    }
}
