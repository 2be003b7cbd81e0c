import CustomerService
import Foundation

/// `import FILE [--send-verification]`: bulk import of the platform's customer.csv or JSON Lines.
enum ImportCommand {
    static let spec = CommandSpec(
        name: "import",
        summary: "Import customers from the platform's customer.csv or JSON Lines (idempotent; no emails unless asked)",
        positionals: ["FILE"],
        options: [.flag("send-verification", "queue verification emails for imported Unverified customers")],
        readsOnly: false,
        run: run)

    static func run(_ invocation: Invocation) throws {
        let path = invocation.positionals[0]
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw CLIError.rejected(code: "invalidFile", message: "\(path) is not UTF-8 text", problems: [("file", "not UTF-8")])
            }
            text = decoded
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.store("cannot read \(path): \(error.localizedDescription)")
        }
        let (rows, parseErrors) = ImportFile.parse(text)
        let service = try invocation.openService()
        let showProgress = Terminal.isInteractive && rows.count > 5000
        var report = try service.importCustomers(rows, sendVerification: invocation.flag("send-verification"), metadata: invocation.metadata) { done in
            if showProgress { FileHandle.standardError.write(Data("\rimported \(done)/\(rows.count) rows".utf8)) }
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        report.rejected = (parseErrors + report.rejected).sorted { $0.line < $1.line }

        if invocation.global.json {
            Terminal.out(JSONValue.object([
                ("imported", .array(report.imported.map { .object([("line", .integer(Int64($0.line))), ("reference", .string($0.reference))]) })),
                ("unchanged", .array(report.unchanged.map { .object([("line", .integer(Int64($0.line))), ("reference", .string($0.reference))]) })),
                ("rejected", .array(report.rejected.map { .object([("line", .integer(Int64($0.line))), ("field", .string($0.field)), ("message", .string($0.message))]) })),
            ]).text)
        } else {
            Terminal.out("Imported \(report.imported.count) customer(s), \(report.unchanged.count) already present, \(Set(report.rejected.map(\.line)).count) row(s) rejected.")
            for error in report.rejected {
                Terminal.err("error: line \(error.line): \(error.field): \(error.message)")
            }
        }
        if !report.rejected.isEmpty {
            // Valid rows were imported; the exit code still tells a script that the file was not clean.
            throw ImportHadRejections()
        }
    }
}

/// Exit 1 after an import that skipped rows (already reported line by line).
struct ImportHadRejections: Error {}
