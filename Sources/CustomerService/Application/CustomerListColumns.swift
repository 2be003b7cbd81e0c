import CustomerAggregate
import Foundation

/// One column of the back office's customer list: its title and how a row shows in it.
public struct CustomerListColumn: Sendable {
    public let title: String
    public let value: @Sendable (CustomerRow) -> String

    public init(title: String, value: @escaping @Sendable (CustomerRow) -> String) {
        self.title = title
        self.value = value
    }

    /// The platform's columns, in its order: what `list` prints, the back office's table shows and both CSV
    /// downloads (`list --format csv --all`, "Download as CSV") hold.
    public static let backOffice: [CustomerListColumn] = [
        CustomerListColumn(title: "Reference") { $0.reference.description },
        CustomerListColumn(title: "Created") { UTCTime.iso8601($0.createdAt) },
        CustomerListColumn(title: "Email") { $0.profile.email },
        CustomerListColumn(title: "Last Name") { $0.profile.lastName },
        CustomerListColumn(title: "First Name") { $0.profile.firstName },
        CustomerListColumn(title: "Status") { $0.status.rawValue },
    ]
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
