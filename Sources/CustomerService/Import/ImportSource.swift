import CustomerAggregate
import Foundation

/// An import file checked as a whole before any store is opened, in one streaming pass: its structure is sound
/// (UTF-8, a CSV header with the required columns, every quote closed) — otherwise nothing is imported and no
/// store is created — and it says how many rows the file has and the largest reference number it holds, which
/// the import reserves before it writes its first row.
public struct ImportSource: Sendable {
    /// The file as the caller named it (`-` for standard input), for messages.
    public let name: String
    let url: URL
    /// Standard input is copied to a private temporary file (it is read twice), removed by `close()`.
    let isSpooled: Bool
    public let rowCount: Int
    public let largestReferenceNumber: UInt64

    /// Opens and checks `path`; `-` reads standard input to its end.
    public static func open(_ path: String) throws -> ImportSource {
        if path == "-" {
            let spool = try spoolStandardInput()
            do {
                return try check(name: "standard input", url: spool, isSpooled: true)
            } catch {
                try? FileManager.default.removeItem(at: spool)
                throw error
            }
        }
        return try check(name: path, url: URL(fileURLWithPath: path), isSpooled: false)
    }

    public func close() {
        if isSpooled { try? FileManager.default.removeItem(at: url) }
    }

    private static func check(name: String, url: URL, isSpooled: Bool) throws -> ImportSource {
        let bytes: ChunkedBytes
        do {
            bytes = try ChunkedBytes(fileAt: url)
        } catch {
            throw StoreAccessError("cannot read \(name): \(error.localizedDescription)")
        }
        var reader = ImportFile.Reader(bytes)
        var rows = 0
        var largest: UInt64 = 0
        do {
            while let entry = try reader.next() {
                guard case .row(let row) = entry else { continue }
                rows += 1
                if let reference = CustomerReference.parse(row.reference.trimmingWhitespace()) {
                    largest = max(largest, reference.number)
                }
            }
        } catch let error as ImportFile.StructuralError {
            throw DomainError(
                .invalidFile, "\(name) cannot be imported: line \(error.line): \(error.reason); nothing was imported",
                problems: [Problem(field: "file", message: "line \(error.line): \(error.reason)")])
        }
        return ImportSource(name: name, url: url, isSpooled: isSpooled, rowCount: rows, largestReferenceNumber: largest)
    }

    /// Standard input into a new file only this user can read, in the temporary folder.
    private static func spoolStandardInput() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("customer-es-import-\(getpid())-\(UUID().uuidString).tmp")
        let descriptor = Foundation.open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw StoreAccessError("cannot spool standard input to \(url.path): errno \(errno)") }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        while let data = try FileHandle.standardInput.read(upToCount: ChunkedBytes.chunkSize), !data.isEmpty {
            try output.write(contentsOf: data)
        }
        try output.close()
        return url
    }
}
