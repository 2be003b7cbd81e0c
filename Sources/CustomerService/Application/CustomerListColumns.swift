import CustomerAggregate
import Foundation

/// One column of the back office's customer list: its title and how a row shows in it.
public struct CustomerListColumn: Sendable {
    /// What a column shows for an erased customer in a table for people (`text`): `forget` blanks the email and
    /// the names, and a blank cell reads as missing data rather than as an erasure.
    public enum ErasedCell: Sendable {
        /// The value, which erasure keeps (reference, times, status).
        case value
        /// The words "erased customer" (in the table's language).
        case label
        /// "—", as `show` prints an absent value (beside the label in another column of the same row).
        case dash
    }

    public let title: String
    /// The stored value: what CSV (and JSON) carry, empty for an erased customer's personal fields, so that an
    /// export never holds a placeholder where data belongs.
    public let value: @Sendable (CustomerRow) -> String
    public let erasedCell: ErasedCell

    public init(title: String, erasedCell: ErasedCell = .value, value: @escaping @Sendable (CustomerRow) -> String) {
        self.title = title
        self.erasedCell = erasedCell
        self.value = value
    }

    /// The cell of a table for people (`list`'s table, the Customers page): an erased customer's personal fields
    /// say so, with `erasedLabel` in the table's language.
    public func text(_ row: CustomerRow, erasedLabel: String = CustomerRow.erasedLabel) -> String {
        guard row.isErased else { return value(row) }
        switch erasedCell {
        case .value: return value(row)
        case .label: return erasedLabel
        case .dash: return "—"
        }
    }

    /// The platform's columns, in its order: what `list` prints, the back office's table shows and both CSV
    /// downloads (`list --format csv --all`, "Download as CSV") hold.
    public static let backOffice: [CustomerListColumn] = [
        CustomerListColumn(title: "Reference") { $0.reference.description },
        CustomerListColumn(title: "Created") { UTCTime.iso8601($0.createdAt) },
        CustomerListColumn(title: "Email", erasedCell: .label) { $0.profile.email },
        CustomerListColumn(title: "Last Name", erasedCell: .dash) { $0.profile.lastName },
        CustomerListColumn(title: "First Name", erasedCell: .dash) { $0.profile.firstName },
        CustomerListColumn(title: "Status") { $0.status.rawValue },
    ]
}

extension CustomerRow {
    /// What the Email column of a table says for an erased customer (en_US; the back office has its own words).
    public static let erasedLabel = "erased customer"

    /// Whether `forget` erased this customer: the row keeps its reference, status and times and its profile is
    /// blanked. Every other customer has an email (creating, importing and changing an email all require one, and
    /// an edit cannot clear it), so a blank email is the mark.
    public var isErased: Bool { profile.email.isEmpty }

    /// The customer as `show --json` shapes it (the list's JSON items): for an erased customer that is `show`'s
    /// `"erased": "erased customer DE--7"` and null personal fields.
    public var listedValues: [CustomerFieldValue] {
        CustomerShape.values(
            reference: reference, profile: profile, status: status, createdAt: createdAt, verifiedAt: verifiedAt,
            pendingEmail: pendingEmail, erased: isErased)
    }
}

/// RFC 4180 output: quote a field when it holds a comma, a quote or a line break (doubling inner quotes), and
/// defuse spreadsheet formulas (a leading = + - @) since this file is meant to be opened in one.
public enum CSV {
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    public static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The header line of the customer list's columns.
    public static func header(_ columns: [CustomerListColumn]) -> String { line(columns.map(\.title)) }

    /// One customer as a line of the list's columns.
    public static func line(_ row: CustomerRow, _ columns: [CustomerListColumn]) -> String { line(columns.map { $0.value(row) }) }
}
