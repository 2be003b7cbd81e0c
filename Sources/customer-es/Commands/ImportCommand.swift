import CustomerService
import Foundation

/// `import FILE [--send-verification]`: bulk import of the platform's customer.csv or JSON Lines.
enum ImportCommand {
    static let spec = CommandSpec(
        name: "import",
        summary: "Import customers from the platform's customer.csv or JSON Lines, or - for standard input (idempotent; no emails unless asked)",
        positionals: ["FILE"],
        options: [.flag("send-verification", "queue verification emails for imported Unverified customers")],
        readsOnly: false,
        run: run)

    static func run(_ invocation: Invocation) throws {
        // Checked whole (structure, size, largest reference) before the store is opened: a broken file creates
        // nothing.
        let source = try ImportSource.open(invocation.positionals[0])
        defer { source.close() }
        let service = try invocation.openService()
        let interactive = Terminal.isInteractive
        var showedProgress = false
        let report = try service.importCustomers(
            from: source, sendVerification: invocation.flag("send-verification"), metadata: invocation.metadata
        ) { done, total in
            guard interactive && total > 5000 else { return }
            showedProgress = true
            FileHandle.standardError.write(Data("\rimported \(done)/\(total) rows".utf8))
        }
        if showedProgress { FileHandle.standardError.write(Data("\n".utf8)) }

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
        // Valid rows were imported; the exit code still tells a script that the file was not clean.
        if let rejection = report.rejection { throw rejection }
    }
}
