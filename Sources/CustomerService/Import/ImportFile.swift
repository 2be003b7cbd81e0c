import CustomerAggregate
import Foundation

/// One customer of an import file, with the line it came from.
public struct ImportRow: Sendable {
    public let line: Int
    public let reference: String
    public let form: CustomerForm
    public let registered: String?
}

/// A row that could not be read at all (before any business rule).
public struct ImportRowError: Sendable, Equatable {
    public let line: Int
    public let field: String
    public let message: String
}

/// An import file, parsed: its rows, and the rows that could not be read.
public struct LoadedImportFile: Sendable {
    public let rows: [ImportRow]
    public let errors: [ImportRowError]
}

/// Reads the platform's `customer.csv` (CONTRACT §6) or JSON Lines with the same keys (snake_case as in the CSV
/// header, or the camelCase of our Customer JSON). The `password` column (a bcrypt hash) is not a field of this
/// system and is ignored.
public enum ImportFile {
    public static let csvHeader = [
        "customer_reference", "locale_name", "phone", "email", "salutation", "first_name", "last_name", "company",
        "gender", "date_of_birth", "password", "registered",
    ]

    private static let camelCase = [
        "reference": "customer_reference", "locale": "locale_name", "firstName": "first_name",
        "lastName": "last_name", "dateOfBirth": "date_of_birth", "registeredAt": "registered",
    ]

    /// Reads and parses `file` before any store is opened, so that a file that cannot be read creates nothing.
    public static func load(_ file: URL) throws -> LoadedImportFile {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw StoreAccessError("cannot read \(file.relativePath): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DomainError(.invalidFile, "\(file.relativePath) is not UTF-8 text", problems: [Problem(field: "file", message: "not UTF-8")])
        }
        let (rows, errors) = parse(text)
        return LoadedImportFile(rows: rows, errors: errors)
    }

    /// Parses the file; rows that cannot be read are returned as errors, the rest as rows.
    public static func parse(_ text: String) -> (rows: [ImportRow], errors: [ImportRowError]) {
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if trimmed.first == "{" { return parseJSONLines(text) }
        return parseCSV(text)
    }

    static func parseCSV(_ text: String) -> (rows: [ImportRow], errors: [ImportRowError]) {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(in: text)
        } catch let error as CSVReader.SyntaxError {
            return ([], [ImportRowError(line: error.line, field: "file", message: error.description)])
        } catch {
            return ([], [ImportRowError(line: 1, field: "file", message: "\(error)")])
        }
        guard let header = records.first else {
            return ([], [ImportRowError(line: 1, field: "file", message: "the file is empty")])
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = ["customer_reference", "email", "salutation", "first_name", "last_name"].filter { !columns.contains($0) }
        guard missing.isEmpty else {
            return ([], [ImportRowError(
                line: header.line, field: "header",
                message: "missing column(s) \(missing.joined(separator: ", ")); expected: \(csvHeader.joined(separator: ","))")])
        }
        var rows: [ImportRow] = []
        var errors: [ImportRowError] = []
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                errors.append(ImportRowError(
                    line: record.line, field: "row",
                    message: "has \(record.fields.count) fields, the header has \(columns.count)"))
                continue
            }
            let values = Dictionary(zip(columns, record.fields), uniquingKeysWith: { first, _ in first })
            rows.append(row(line: record.line, values))
        }
        return (rows, errors)
    }

    static func parseJSONLines(_ text: String) -> (rows: [ImportRow], errors: [ImportRowError]) {
        var rows: [ImportRow] = []
        var errors: [ImportRowError] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any] else {
                errors.append(ImportRowError(line: index + 1, field: "row", message: "is not a JSON object"))
                continue
            }
            var values: [String: String] = [:]
            for (key, value) in object {
                let name = camelCase[key] ?? key
                switch value {
                case let text as String: values[name] = text
                case is NSNull: break
                case let number as NSNumber: values[name] = number.stringValue
                default:
                    errors.append(ImportRowError(line: index + 1, field: key, message: "must be a string"))
                }
            }
            rows.append(row(line: index + 1, values))
        }
        return (rows, errors)
    }

    private static func row(line: Int, _ values: [String: String]) -> ImportRow {
        func optional(_ key: String) -> String? {
            guard let value = values[key], !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            return value
        }
        return ImportRow(
            line: line,
            reference: values["customer_reference"] ?? "",
            form: CustomerForm(
                email: values["email"] ?? "", salutation: values["salutation"] ?? "",
                firstName: values["first_name"] ?? "", lastName: values["last_name"] ?? "",
                gender: optional("gender"), dateOfBirth: optional("date_of_birth"), phone: optional("phone"),
                company: optional("company"), locale: optional("locale_name")),
            registered: optional("registered"))
    }
}
