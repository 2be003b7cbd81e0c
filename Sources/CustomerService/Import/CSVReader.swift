import Foundation

/// A streaming RFC 4180 reader: fields separated by `,`, optionally quoted with `"` (a doubled `""` inside quotes
/// is one quote, and quoted fields may hold commas and line breaks), records ending in LF, CRLF or CR. Works on
/// bytes (every structural character is ASCII), one record at a time; each field must be UTF-8. Each record
/// carries the line number it starts on, for error messages. A blank line is no record.
struct CSVReader {
    struct Record {
        let line: Int
        let fields: [String]
    }

    /// The file cannot be read as CSV at all from here on (the whole file is refused).
    struct SyntaxError: Error, CustomStringConvertible {
        let line: Int
        let description: String
    }

    private let source: ChunkedBytes
    private var line = 1

    init(_ source: ChunkedBytes) {
        self.source = source
        // A byte-order mark from spreadsheet exports.
        if source.peek() == 0xEF {
            _ = source.next()
            if source.next() != 0xBB || source.next() != 0xBF { line = -1 }
        }
    }

    static func records(in text: String) throws -> [Record] {
        var reader = CSVReader(ChunkedBytes(bytes: Array(text.utf8)))
        var records: [Record] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    mutating func next() throws -> Record? {
        if line < 0 { throw SyntaxError(line: 1, description: "the file is not UTF-8 text") }
        outer: while true {
            let start = line
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var inQuotes = false
            var sawAnything = false

            func finishField() throws {
                guard let text = String(validating: field, as: UTF8.self) else {
                    throw SyntaxError(line: line, description: "the file is not UTF-8 text")
                }
                fields.append(text)
                field = []
                quoted = false
            }

            while let byte = source.next() {
                sawAnything = true
                if inQuotes {
                    if byte == UInt8(ascii: "\"") {
                        if source.peek() == UInt8(ascii: "\"") {
                            _ = source.next()
                            field.append(byte)
                        } else {
                            inQuotes = false
                        }
                    } else {
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""):
                    guard field.isEmpty && !quoted else {
                        throw SyntaxError(line: line, description: "a quote inside an unquoted field; quote the whole field and double the quote")
                    }
                    inQuotes = true
                    quoted = true
                case UInt8(ascii: ","):
                    try finishField()
                case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                    if byte == UInt8(ascii: "\r") && source.peek() == UInt8(ascii: "\n") { _ = source.next() }
                    let blank = fields.isEmpty && field.isEmpty && !quoted
                    try finishField()
                    line += 1
                    if blank { continue outer }
                    return Record(line: start, fields: fields)
                default:
                    field.append(byte)
                }
            }
            if inQuotes { throw SyntaxError(line: start, description: "a quoted field is never closed") }
            guard sawAnything, !(fields.isEmpty && field.isEmpty && !quoted) else { return nil }
            try finishField()
            return Record(line: start, fields: fields)
        }
    }
}
