import CustomerAggregate
import Foundation

/// One customer of an import file, with the line it came from.
public struct ImportRow: Sendable {
    public let line: Int
    public let reference: String
    public let form: CustomerForm
    /// CSV `registered` (a day) or JSON `verifiedAt`/`registeredAt` (a day or a time): Verified since then.
    public let registered: String?
    /// JSON `createdAt`: when the customer was created on the platform (default: the registration, else now).
    public var createdAt: String?
    /// JSON `status` (`Verified` / `Unverified`), checked against `registered`.
    public var status: String?
    /// The platform's `password` column: a bcrypt hash, or nil when empty.
    public var password: String?

    public init(
        line: Int, reference: String, form: CustomerForm, registered: String?, createdAt: String? = nil, status: String? = nil,
        password: String? = nil
    ) {
        self.line = line
        self.reference = reference
        self.form = form
        self.registered = registered
        self.createdAt = createdAt
        self.status = status
        self.password = password
    }
}

/// A row that could not be read at all (before any business rule).
public struct ImportRowError: Sendable, Equatable {
    public let line: Int
    public let field: String
    public let message: String
}

/// Reads the platform's `customer.csv` or JSON Lines with the same keys (snake_case as in the CSV
/// header, or the camelCase of our Customer JSON, so that `list --json --all` output imports back). The
/// `password` column carries the platform's bcrypt hash, which becomes the customer's credential. Streaming: one
/// row at a time.
public enum ImportFile {
    public static let csvHeader = [
        "customer_reference", "locale_name", "phone", "email", "salutation", "first_name", "last_name", "company",
        "gender", "date_of_birth", "password", "registered",
    ]

    private static let camelCase = [
        "reference": "customer_reference", "locale": "locale_name", "firstName": "first_name",
        "lastName": "last_name", "dateOfBirth": "date_of_birth", "registeredAt": "registered",
        "verifiedAt": "registered", "createdAt": "created_at",
    ]

    /// The file's column for a field the domain names by its option (`first-name` → `first_name`), so that every
    /// message of an import names what the file calls it.
    static func column(for field: String) -> String {
        switch field {
        case "locale": return "locale_name"
        case "reference", "customer": return "customer_reference"
        default: return field.replacingOccurrences(of: "-", with: "_")
        }
    }

    /// The whole file cannot be imported (nothing is): its structure is broken, not one row.
    public struct StructuralError: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public enum Entry: Sendable {
        case row(ImportRow)
        case error(ImportRowError)
    }

    /// Parses a whole text (tests, small inputs); a structural failure is one error on its line.
    public static func parse(_ text: String) -> (rows: [ImportRow], errors: [ImportRowError]) {
        var rows: [ImportRow] = []
        var errors: [ImportRowError] = []
        do {
            var reader = Reader(ChunkedBytes(bytes: Array(text.utf8)))
            while let entry = try reader.next() {
                switch entry {
                case .row(let row): rows.append(row)
                case .error(let error): errors.append(error)
                }
            }
        } catch let error as StructuralError {
            return ([], [ImportRowError(line: error.line, field: "file", message: error.reason)])
        } catch {
            return ([], [ImportRowError(line: 1, field: "file", message: "\(error)")])
        }
        return (rows, errors)
    }

    /// Reads entries one at a time from a CSV or JSON Lines source (a first `{` means JSON Lines).
    struct Reader {
        private enum Format {
            case csv(CSVReader, columns: [String]?)
            case jsonLines(ChunkedBytes, line: Int)
        }

        private var format: Format

        init(_ source: ChunkedBytes) {
            format = .csv(CSVReader(source), columns: nil)
            var skipped: [UInt8] = []
            // A byte-order mark and blanks before the first character (lines are not skipped: line numbers count).
            while let byte = source.peek(), [0xEF, 0xBB, 0xBF, 0x20, 0x09].contains(byte) {
                skipped.append(byte)
                _ = source.next()
            }
            if source.peek() == UInt8(ascii: "{") {
                format = .jsonLines(source, line: 0)
            } else if !skipped.isEmpty {
                // Put back what was looked at: CSV starts with its header (and handles the byte-order mark).
                format = .csv(CSVReader(ChunkedBytes(prefix: skipped, rest: source)), columns: nil)
            }
        }

        mutating func next() throws -> Entry? {
            switch format {
            case .csv(var reader, let columns):
                defer { format = .csv(reader, columns: columns ?? currentColumns) }
                return try nextCSV(&reader, columns)
            case .jsonLines(let source, let line):
                var number = line
                defer { format = .jsonLines(source, line: number) }
                while true {
                    number += 1
                    guard let bytes = Self.line(from: source) else { return nil }
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        throw StructuralError(line: number, reason: "the file is not UTF-8 text")
                    }
                    let content = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if content.isEmpty { continue }
                    return ImportFile.jsonRow(line: number, content)
                }
            }
        }

        private var currentColumns: [String]?

        private mutating func nextCSV(_ reader: inout CSVReader, _ columns: [String]?) throws -> Entry? {
            let records: CSVReader.Record?
            do { records = try reader.next() } catch let error as CSVReader.SyntaxError {
                throw StructuralError(line: error.line, reason: error.description)
            }
            guard let record = records else {
                if columns == nil { throw StructuralError(line: 1, reason: "the file is empty") }
                return nil
            }
            guard let columns else {
                let header = record.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                let missing = ["customer_reference", "email", "salutation", "first_name", "last_name"].filter { !header.contains($0) }
                guard missing.isEmpty else {
                    let separator = header.count == 1 && header[0].contains(";") ? " (the file is separated by ; — the columns must be separated by ,)" : ""
                    throw StructuralError(
                        line: record.line,
                        reason: "the header lacks the column(s) \(missing.joined(separator: ", "))\(separator); expected: \(csvHeader.joined(separator: ","))")
                }
                currentColumns = header
                return try nextCSV(&reader, header)
            }
            guard record.fields.count == columns.count else {
                return .error(ImportRowError(
                    line: record.line, field: "row", message: "has \(record.fields.count) fields, the header has \(columns.count)"))
            }
            return .row(row(line: record.line, Dictionary(zip(columns, record.fields), uniquingKeysWith: { first, _ in first })))
        }

        private static func line(from source: ChunkedBytes) -> [UInt8]? {
            var bytes: [UInt8] = []
            var sawAnything = false
            while let byte = source.next() {
                sawAnything = true
                if byte == UInt8(ascii: "\n") { return bytes }
                bytes.append(byte)
            }
            return sawAnything ? bytes : nil
        }
    }

    static func jsonRow(line: Int, _ content: String) -> Entry {
        guard let object = try? JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any] else {
            return .error(ImportRowError(line: line, field: "row", message: "is not a JSON object"))
        }
        var values: [String: String] = [:]
        for (key, value) in object {
            let name = camelCase[key] ?? key
            switch value {
            case let text as String: values[name] = text
            case is NSNull: break
            case let number as NSNumber: values[name] = number.stringValue
            default:
                return .error(ImportRowError(line: line, field: column(for: name), message: "must be a string"))
            }
        }
        return .row(row(line: line, values))
    }

    private static func row(line: Int, _ values: [String: String]) -> ImportRow {
        func optional(_ key: String) -> String? {
            guard let value = values[key], !value.trimmingWhitespace().isEmpty else { return nil }
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
            registered: optional("registered"), createdAt: optional("created_at"), status: optional("status"),
            password: optional("password"))
    }
}
